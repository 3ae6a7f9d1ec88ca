import { configure } from '@testing-library/react';

// The react project runs beside the Chromium, ffmpeg and packaging projects: on a busy 2-core machine a mock
// server's answer can take over a second to be rendered, and Testing Library's default 1 s wait then measures
// the machine, not the component. Nothing here is timed: waits only bound how long a test may take to fail.
configure({ asyncUtilTimeout: 5_000 });
