import { type TransportMode, useVideoCatalog } from '@onair/react';

const LABELS: Record<TransportMode, string> = { ws: 'WebSocket', hls: 'HLS', auto: 'Auto' };

/**
 * Lets the viewer compare the two transports of one player. Shown only when the server offers HLS
 * (`npm start -- --hls`, `onair serve --hls`); otherwise WebSocket is the only choice and nothing is drawn.
 */
export function TransportPicker(props: { value: TransportMode; onChange: (mode: TransportMode) => void }) {
  const { videos } = useVideoCatalog();
  if (!videos.some((video) => video.hlsUrl)) return null;
  return (
    <label className="demo-transport">
      Transport
      <select value={props.value} onChange={(event) => props.onChange(event.target.value as TransportMode)}>
        {(Object.keys(LABELS) as TransportMode[]).map((mode) => (
          <option key={mode} value={mode}>
            {LABELS[mode]}
          </option>
        ))}
      </select>
    </label>
  );
}
