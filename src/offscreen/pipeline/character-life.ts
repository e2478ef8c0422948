/**
 * What keeps the character alive beyond face tracking, for the pipeline: idle motion (blinks,
 * head and gaze) where no face drives it, expression keys on top of everything, and the
 * camera-free decision for the consumers that are open. Pure pose logic lives in src/core/pose.
 */
import { customTarget, type ExpressionId, ExpressionMixer, indexTarget, type IndexedTarget, PRESET_TARGETS } from '../../core/pose/expressions';
import { applyIdleMotion, IdleMotion } from '../../core/pose/idle-motion';
import { applyVoiceMouth } from '../../core/voice/voice-mouth';
import { VoiceInput } from './voice-input';
import { cameraNeeded, customPose } from '../../shared/character-life-settings';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';

const PRESETS = new Map<string, IndexedTarget>(Object.entries(PRESET_TARGETS).map(([id, t]) => [id, indexTarget(t)]));

export type ExpressionAction = 'key' | 'hold' | 'release';

export class CharacterLife {
  private settings: Settings = DEFAULT_SETTINGS;
  private readonly idle = new IdleMotion();
  private readonly mixer = new ExpressionMixer();
  private readonly origins = new Map<string, string | null>();
  private readonly voice = new VoiceInput();
  private customs = new Map<string, IndexedTarget>();
  private nowMs = 0;

  setSettings(s: Settings): void {
    this.settings = s;
    this.customs = new Map();
    for (const id of ['custom-1', 'custom-2', 'custom-3'] as const) {
      const pose = customPose(s.expressions, id);
      if (pose) this.customs.set(id, customTarget(pose));
    }
  }

  /** A consumer opened: `origin` is its site, null for an extension page (the preview). */
  addConsumer(id: string, origin: string | null): void {
    this.origins.set(id, origin);
  }

  removeConsumer(id: string): void {
    this.origins.delete(id);
    this.voice.remove(id);
  }

  /** Before a consumer's offer: ask its page to share the microphone it already has (voice mouth). */
  offerVoice(id: string, pc: RTCPeerConnection): void {
    if (this.settings.voice.enabled) this.voice.offerTo(id, pc);
  }

  /** False when every open consumer is camera-free: the real camera must stay closed. */
  needsCamera(): boolean {
    return cameraNeeded([...this.origins.values()], this.settings.cameraFree);
  }

  expression(id: ExpressionId, action: ExpressionAction, holdMs?: number): void {
    const now = performance.now();
    if (action === 'release') this.mixer.release(id, now);
    else if (action === 'hold') this.mixer.hold(id, now, holdMs ?? 1000);
    else this.mixer.keyPress(id, now, holdMs ?? this.settings.expressions.keyHoldMs);
  }

  /**
   * The pose to render: `tracked` is the pose driver's output, `faceWeight` how much a face
   * drives it (0 without a camera or face). Returns a new array.
   */
  apply(tracked: Float32Array, faceWeight: number, timeMs: number): Float32Array {
    this.nowMs = timeMs;
    const pose = applyIdleMotion(Float32Array.from(tracked), this.idle.sample(timeMs), 1 - faceWeight);
    const v = this.settings.voice;
    // The voice drives the mouth where no face does, and by the chosen share while one does.
    if (v.enabled && this.voice.live(timeMs)) applyVoiceMouth(pose, this.voice.mouth.pose(), Math.max(1 - faceWeight, v.blendWithTracking));
    return this.mixer.apply(pose, timeMs, (id) => PRESETS.get(id) ?? this.customs.get(id) ?? null);
  }

  status(cameraOpen: boolean): { cameraFree: boolean; expressions: ExpressionId[]; voice: { live: boolean; opening: number } } {
    return {
      cameraFree: this.origins.size > 0 && !this.needsCamera() && !cameraOpen,
      expressions: this.mixer.showing(this.nowMs),
      voice: { live: this.voice.live(this.nowMs), opening: Math.round(this.voice.mouth.opening * 1000) / 1000 },
    };
  }
}
