import { describe, expect, it } from 'vitest';
import { sdpAddresses, withoutHostAddresses } from './sdp-privacy';

// Shaped like Chromium's offer after gathering (addresses from the documentation ranges).
const OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=video 51200 UDP/TLS/RTP/SAVPF 96 97',
  'c=IN IP4 192.0.2.2',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1467250027 1 udp 2122260223 192.0.2.2 51200 typ host generation 0 network-id 1',
  'a=candidate:1467250028 1 udp 2122262783 fd00::2 51201 typ host generation 0 network-id 2',
  'a=candidate:1467250029 1 tcp 1518280447 192.0.2.2 9 typ host tcptype active generation 0',
  'a=candidate:2 1 udp 2122260223 0c8a2b4e-1b5c-4bd6-9c7e-2f39fcbd3c8f.local 51202 typ host generation 0',
  'a=end-of-candidates',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdefghijklmnopqrstuvwx',
  'a=mid:0',
  'a=sendonly',
  '',
].join('\r\n');

describe('withoutHostAddresses', () => {
  it('removes every candidate and address from the offer, keeping everything else', () => {
    const out = withoutHostAddresses(OFFER);
    expect(sdpAddresses(OFFER)).toContain('192.0.2.2');
    expect(sdpAddresses(out).filter((a) => a !== '0.0.0.0' && a !== '::')).toEqual([]);
    expect(out).not.toMatch(/192\.0\.2\.2|fd00::2|\.local/);
    expect(out).toContain('c=IN IP4 0.0.0.0');
    expect(out).toContain('a=ice-ufrag:abcd');
    expect(out).toContain('m=video 51200 UDP/TLS/RTP/SAVPF 96 97');
    expect(out.endsWith('\r\n')).toBe(true);
  });

  it('handles IPv6 connection lines and leaves an SDP without candidates unchanged', () => {
    expect(withoutHostAddresses('c=IN IP6 fd00::2\r\na=rtcp:9 IN IP6 fd00::2\r\n')).toBe('c=IN IP6 ::\r\na=rtcp:9 IN IP6 ::\r\n');
    const clean = 'v=0\r\nc=IN IP4 0.0.0.0\r\n';
    expect(withoutHostAddresses(clean)).toBe(clean);
  });
});
