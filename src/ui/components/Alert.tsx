import type { ComponentChildren } from 'preact';

/** A visible, announced error (role="alert"); renders nothing without a message. */
export function Alert({ children, id }: { children?: ComponentChildren; id?: string }) {
  if (!children) return null;
  return (
    <p class="alert" role="alert" id={id}>
      {children}
    </p>
  );
}
