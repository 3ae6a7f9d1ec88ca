// A Server Component page (no 'use client' here): it renders OnAir's client components, as an App Router app does.
import {
  LiveStreamPlayer,
  LiveStreamProvider,
  Reactions,
  StreamChat,
  VideoSelector,
  ViewerCount,
} from '@onair/react';

export default function Page() {
  return (
    <main>
      <h1>Rendered by a Server Component</h1>
      <LiveStreamProvider url="/live">
        <LiveStreamPlayer />
        <VideoSelector />
        <ViewerCount />
        <Reactions />
        <StreamChat />
      </LiveStreamProvider>
    </main>
  );
}
