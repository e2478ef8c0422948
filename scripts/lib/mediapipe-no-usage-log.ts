/**
 * MediaPipe tasks-vision (pinned 1.1.0) creates a usage logger for every task, unconditionally,
 * with no option to turn it off: it buffers events and POSTs them to a Google logging endpoint
 * once a minute and whenever a task is closed. AnimeCam promises that nothing leaves the machine,
 * so the build switches the logger off where it is made: the logger is born in its "failed"
 * state (which the library itself uses after a failed send: it then records nothing, keeps no
 * timer and sends nothing), and the endpoint's address is removed from the bundle.
 * A changed bundle (another version) fails the build instead of shipping the logger.
 */
import type { Plugin } from 'vite';

const REPLACEMENTS: { find: string; replace: string; what: string }[] = [
  {
    what: 'the usage logger constructor',
    find: 'Mh=class{constructor(t){this.i=[],this.o=new bh,this.l=t??"",this.h=setInterval(()=>{this.flush()},6e4)}',
    replace: 'Mh=class{constructor(t){this.i=[],this.o=new bh,this.l="",this.error=Error("usage logging is disabled"),this.h=void 0}',
  },
  {
    what: 'the logging endpoint',
    find: 'url:"https://odml.pa.googleapis.com/v1/log"',
    replace: 'url:"about:blank"',
  },
];

/** The patched source; throws when the bundle is not the one these patterns were written for. */
export function disableUsageLogger(code: string): string {
  let out = code;
  for (const r of REPLACEMENTS) {
    const n = out.split(r.find).length - 1;
    if (n !== 1) throw new Error(`@mediapipe/tasks-vision: expected ${r.what} once, found it ${n} times; check the logger of this version`);
    out = out.replace(r.find, () => r.replace);
  }
  if (out.includes('odml.pa.googleapis.com')) throw new Error('@mediapipe/tasks-vision: the logging endpoint is still in the bundle');
  return out;
}

export function mediapipeNoUsageLog(): Plugin {
  return {
    name: 'animecam-mediapipe-no-usage-log',
    enforce: 'pre',
    transform(code, id) {
      if (!/@mediapipe[\\/]tasks-vision[\\/]vision_bundle\.mjs(\?|$)/.test(id)) return null;
      return { code: disableUsageLogger(code), map: null };
    },
  };
}
