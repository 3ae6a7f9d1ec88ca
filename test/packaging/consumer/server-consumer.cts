// The same package from CommonJS (its .d.cts typings).
import onair = require('@onair/server-middleware');

export const create = (): onair.LiveStream => onair.liveStream(['video.mp4']);
