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
  sender: RTCPeerConnection | null;
  receiver: RTCPeerConnection | null;
  remoteFrames: number;
  error: string | null;
}
const state: CallState = { stream: null, sender: null, receiver: null, remoteFrames: 0, error: null };
// Tests read the call's state from here.
(window as unknown as { demoCall: CallState }).demoCall = state;

function say(text: string): void {
  status.textContent = text;
}

async function listCameras(): Promise<void> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const keep = cameraSelect.value;
  cameraSelect.replaceChildren(new Option('Default', ''));
  for (const d of devices) {
    if (d.kind === 'videoinput') cameraSelect.add(new Option(d.label || `Camera ${cameraSelect.length}`, d.deviceId));
  }
  cameraSelect.value = keep;
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
    const deviceId = cameraSelect.value;
    const stream = await navigator.mediaDevices.getUserMedia({
      video: deviceId ? { deviceId: { exact: deviceId }, width: 1280, height: 720 } : { width: 1280, height: 720 },
      audio: true,
    });
    state.stream = stream;
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

navigator.mediaDevices.addEventListener('devicechange', () => void listCameras());
void listCameras();
