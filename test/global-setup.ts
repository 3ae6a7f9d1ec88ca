import { generateFixtures } from './fixtures/generate-fixtures';

// Runs once before the integration projects: tiny media fixtures, generated with the same ffmpeg the middleware
// finds. Missing ffmpeg fails the run here, loudly, rather than skipping tests.
export default function setup(): void {
  generateFixtures();
}
