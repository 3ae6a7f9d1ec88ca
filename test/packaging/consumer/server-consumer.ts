// A TypeScript host of @onair/server-middleware, type-checked with skipLibCheck false and no ioredis installed.
import { createServer } from 'node:http';
import {
  type FfmpegInUse,
  type LiveStreamLogger,
  type LiveStreamOptions,
  liveStream,
  memoryHub,
  pinoLogger,
  type RedisHubOptions,
  redisHub,
} from '@onair/server-middleware';
import express from 'express';

const logger: LiveStreamLogger = pinoLogger({ error() {}, warn() {}, info() {} });
const options: LiveStreamOptions = { logger, hub: memoryHub() };
const live = liveStream(['video.mp4'], options);
const ffmpeg: FfmpegInUse = live.ffmpeg;
const app = express();
app.use('/live', live);
live.attach(createServer(app));

// The Redis hub's option is a structural client type: any object with the methods it uses is accepted.
declare const client: RedisHubOptions['redis'];
export const hub = redisHub({ redis: client, keyPrefix: 'app:' });
export const version: string | null = ffmpeg.version?.name ?? null;
