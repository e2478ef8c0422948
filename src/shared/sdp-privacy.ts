/**
 * The offer the pipeline hands a page must carry none of the machine's network addresses: Chrome
 * hides host addresses from pages that have no camera permission, and a page should learn
 * nothing through AnimeCam that it could not learn itself.
 *
 * So the offer goes out with no ICE candidates and unspecified connection addresses. The call
 * still connects: the page's answer lists the page's own candidates, the pipeline (the offering,
 * controlling side) sends its connectivity checks to them, and the page learns the pipeline's
 * side as a peer-reflexive candidate, whose address Chrome does not expose to the page.
 */
const CANDIDATE = /^a=candidate:/;
const CONNECTION = /^c=IN (IP4|IP6) \S+/;
const RTCP = /^a=rtcp:(\d+) IN (IP4|IP6) \S+/;

export function withoutHostAddresses(sdp: string): string {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  return sdp
    .split(eol)
    .filter((line) => !CANDIDATE.test(line) && line !== 'a=end-of-candidates')
    .map((line) =>
      line
        .replace(CONNECTION, (_all, v: string) => `c=IN ${v} ${v === 'IP4' ? '0.0.0.0' : '::'}`)
        .replace(RTCP, (_all, port: string, v: string) => `a=rtcp:${port} IN ${v} ${v === 'IP4' ? '0.0.0.0' : '::'}`),
    )
    .join(eol);
}

/** The addresses an SDP names (connection lines and candidates), for checks and tests. */
export function sdpAddresses(sdp: string): string[] {
  const out: string[] = [];
  for (const line of sdp.split(/\r?\n/)) {
    const c = /^c=IN IP[46] (\S+)/.exec(line);
    if (c) out.push(c[1]);
    const cand = /^a=candidate:\S+ \d+ \S+ \d+ (\S+) \d+/.exec(line);
    if (cand) out.push(cand[1]);
    const rtcp = /^a=rtcp:\d+ IN IP[46] (\S+)/.exec(line);
    if (rtcp) out.push(rtcp[1]);
  }
  return out;
}
