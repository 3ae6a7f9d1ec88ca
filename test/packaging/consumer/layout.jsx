import '@onair/react/styles.css';

export const metadata = { title: 'OnAir in a Next.js App Router app' };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
