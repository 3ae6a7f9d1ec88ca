/** Inline icons: decorative (every control carries its own label), sized by the font. */
function Icon({ path }: { path: string }) {
  return (
    <svg
      className="onair-icon"
      viewBox="0 0 24 24"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
    >
      <path d={path} fill="currentColor" />
    </svg>
  );
}

export const PlayIcon = () => <Icon path="M8 5v14l11-7z" />;
export const PauseIcon = () => <Icon path="M6 5h4v14H6zm8 0h4v14h-4z" />;
export const VolumeIcon = () => (
  <Icon path="M3 9v6h4l5 5V4L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z" />
);
export const MutedIcon = () => (
  <Icon path="M3 9v6h4l5 5V4L7 9H3zm18.6 0.4-1.4-1.4L17.8 10.4 15.4 8 14 9.4l2.4 2.4L14 14.2l1.4 1.4 2.4-2.4 2.4 2.4 1.4-1.4-2.4-2.4z" />
);
export const FullscreenIcon = () => (
  <Icon path="M5 5h5v2H7v3H5zm9 0h5v5h-2V7h-3zM5 14h2v3h3v2H5zm12 3v-3h2v5h-5v-2z" />
);
export const ExitFullscreenIcon = () => (
  <Icon path="M8 5h2v5H5V8h3zm6 0h2v3h3v2h-5zM5 14h5v5H8v-3H5zm9 0h5v2h-3v3h-2z" />
);
export const SettingsIcon = () => (
  <Icon path="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.6 7.6 0 0 0-1.7-1L15 3.2h-4l-.4 2.7a7.6 7.6 0 0 0-1.7 1l-2.5-1-2 3.5L6.5 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1c.5.4 1.1.7 1.7 1l.4 2.7h4l.4-2.7c.6-.3 1.2-.6 1.7-1l2.5 1 2-3.5zM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7z" />
);
export const PictureInPictureIcon = () => <Icon path="M3 5h18v14H3zm2 2v10h14V7zm6 5h7v4h-7z" />;
