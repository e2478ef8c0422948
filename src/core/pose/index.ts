/** Public surface of the pose core: MediaPipe FaceLandmarker output -> THA4 pose. */
export * from './blendshapes';
export * from './breathing';
export * from './calibration';
export * from './converter';
export * from './converter-settings';
export * from './euler';
export * from './face-presence';
export * from './head-strength';
export * from './mouth-split';
export * from './one-euro';
export * from './pose-driver';
export * from './pose-params';
