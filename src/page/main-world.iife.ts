/**
 * Page-world script: runs at document_start in the page's MAIN world, in every frame, before the
 * page's own scripts. Kept small: it wraps the camera APIs and talks to the content bridge through
 * window.postMessage. It holds no extension API, creates no workers and writes no HTML.
 */
import { endAllTracks, installTrackHelpers, openAnimeCamTrack } from './animecam-track';
import { installMediaWrappers } from './media-wrappers';
import { onBridgeMessage, sendToBridge } from './page-channel';
import { onSiteStateChange, setSiteState, siteState } from './site-state';

// No marker on window (nor a guard that needs one): anything the page can read would tell it that
// AnimeCam is installed. The manifest and the per-site registration never inject twice.
onBridgeMessage((msg) => {
  if (msg.type === 'bridge/state') setSiteState({ enabled: msg.enabled, replaceCamera: msg.replaceCamera, deviceId: msg.deviceId, groupId: msg.groupId });
});
const installed = installMediaWrappers(navigator, {
  onGetUserMedia(constraints) {
    sendToBridge({ type: 'page/gum-called', video: !!constraints?.video, audio: !!constraints?.audio });
  },
  state: () => siteState(),
  openTrack: openAnimeCamTrack,
  onStateChange: onSiteStateChange,
  endAll: endAllTracks,
});
if (installed) installTrackHelpers();
sendToBridge({ type: 'page/hello', topFrame: window === window.top });
