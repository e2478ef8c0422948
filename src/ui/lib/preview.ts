/**
 * The live preview: the pipeline offers the same track a call gets; this page answers with its
 * own RTCPeerConnection and shows the received track.
 */
import { closePreview, openPreview, sendPreviewAnswer } from './background';

export interface PreviewHandle {
  close(): void;
}

/** Loopback only: the offer comes from this browser, so no ICE servers are needed. */
async function gathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (pc.iceGatheringState !== 'complete') return;
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
    setTimeout(resolve, 2000);
  });
}

export async function startPreview(
  video: HTMLVideoElement,
  size: { width: number; height: number; frameRate: number },
): Promise<PreviewHandle> {
  const previewId = crypto.randomUUID();
  const offer = await openPreview(previewId, size.width, size.height, size.frameRate);
  if (!offer.ok || !offer.sdp) {
    closePreview(previewId);
    throw new Error(offer.error?.message ?? 'The preview could not start.');
  }
  const pc = new RTCPeerConnection();
  const close = () => {
    pc.close();
    video.srcObject = null;
    closePreview(previewId);
  };
  try {
    pc.ontrack = (ev) => {
      video.srcObject = ev.streams[0] ?? new MediaStream([ev.track]);
      void video.play().catch(() => undefined);
    };
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    await gathered(pc);
    await sendPreviewAnswer(previewId, pc.localDescription?.sdp ?? '');
  } catch (e) {
    close();
    throw e;
  }
  return { close };
}
