/**
 * A stand-in for a video-call site: getUserMedia, a local preview, and the video sent over a real
 * RTCPeerConnection (two peers in this page, on loopback) to a "remote" view.
 */
export {};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const local = $<HTMLVideoElement>('local');
const remote = $<HTMLVideoElement>('remote');
const status = $<HTMLDivElement>('status');
const join = $<HTMLButtonElement>('join');
const leave = $<HTMLButtonElement>('leave');
const cameraSelect = $<HTMLSelectElement>('camera');

interface CallState {
  stream: MediaStream | null;
  /** What happened to the camera track: 'live', or why it ended (as a call site would show it). */
  cameraState: string;
  deviceChanges: number;
  sender: RTCPeerConnection | null;
  receiver: RTCPeerConnection | null;
  remoteFrames: number;
  error: string | null;
}
const state: CallState = { stream: null, cameraState: 'none', deviceChanges: 0, sender: null, receiver: null, remoteFrames: 0, error: null };
// Tests read the call's state from here.
(window as unknown as { demoCall: CallState }).demoCall = state;

function say(text: string): void {
  status.textContent = text;
}

let pickedByUser = false;

async function listCameras(): Promise<void> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const keep = cameraSelect.value;
  cameraSelect.replaceChildren(new Option('Default', ''));
  for (const d of devices) {
    if (d.kind === 'videoinput') cameraSelect.add(new Option(d.label || `Camera ${cameraSelect.length}`, d.deviceId));
  }
  const anime = [...cameraSelect.options].find((o) => o.text === 'AnimeCam');
  // The demo exists to show AnimeCam: pick it unless the user chose something else.
  cameraSelect.value = !pickedByUser && anime ? anime.value : [...cameraSelect.options].some((o) => o.value === keep) ? keep : '';
}

function videoConstraints(): MediaTrackConstraints {
  const deviceId = cameraSelect.value;
  return deviceId ? { deviceId: { exact: deviceId }, width: 1280, height: 720 } : { width: 1280, height: 720 };
}

function watch(track: MediaStreamTrack): void {
  state.cameraState = 'live';
  track.addEventListener('ended', () => {
    state.cameraState = 'ended';
    say('Camera off: the camera was switched off or disconnected.');
  });
}

/** Switching cameras mid-call, as call sites do: a new track replaces the old one in the sender. */
async function switchCamera(): Promise<void> {
  if (!state.stream || !state.sender) return;
  const fresh = await navigator.mediaDevices.getUserMedia({ video: videoConstraints() });
  const track = fresh.getVideoTracks()[0];
  const old = state.stream.getVideoTracks()[0];
  const sender = state.sender.getSenders().find((s) => s.track?.kind === 'video' || s.track === null);
  await sender?.replaceTrack(track);
  if (old) {
    state.stream.removeTrack(old);
    old.stop();
  }
  state.stream.addTrack(track);
  local.srcObject = new MediaStream(state.stream.getVideoTracks());
  watch(track);
  say(`Switched to "${track.label}".`);
}

function countRemoteFrames(): void {
  const onFrame = () => {
    state.remoteFrames++;
    remote.requestVideoFrameCallback(onFrame);
  };
  remote.requestVideoFrameCallback(onFrame);
}

async function connect(stream: MediaStream): Promise<void> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  state.sender = a;
  state.receiver = b;
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  b.ontrack = (e) => {
    if (e.track.kind === 'video') remote.srcObject = new MediaStream([e.track]);
  };
  for (const t of stream.getTracks()) a.addTrack(t, stream);
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
}

join.onclick = async () => {
  join.disabled = true;
  state.error = null;
  say('Joining…');
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(), audio: true });
    state.stream = stream;
    const video = stream.getVideoTracks()[0];
    if (video) watch(video);
    local.srcObject = stream;
    await connect(stream);
    countRemoteFrames();
    leave.disabled = false;
    say(`In the call with "${stream.getVideoTracks()[0]?.label ?? 'no camera'}".`);
    await listCameras();
  } catch (e) {
    state.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    say(`Could not join: ${state.error}`);
    join.disabled = false;
  }
};

leave.onclick = () => {
  state.stream?.getTracks().forEach((t) => t.stop());
  state.sender?.close();
  state.receiver?.close();
  Object.assign(state, { stream: null, sender: null, receiver: null });
  local.srcObject = null;
  remote.srcObject = null;
  leave.disabled = true;
  join.disabled = false;
  say('Left the call.');
};

cameraSelect.onchange = () => {
  pickedByUser = true;
  switchCamera().catch((e) => say(`Could not switch camera: ${e instanceof Error ? e.message : String(e)}`));
};

navigator.mediaDevices.addEventListener('devicechange', () => {
  state.deviceChanges++;
  void listCameras();
});
void listCameras();
