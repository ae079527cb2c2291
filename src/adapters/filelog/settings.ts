// Settings of the embedded bus (--bus embedded).

import { group, int, setting } from '../../config/setting.js';

export const FILELOG_SETTINGS = group('Embedded log (--bus embedded)', {
  logSegmentMb: setting(
    '--log-segment-mb',
    'MB of one file of the embedded log; a full file is packed (Brotli, 2.5–9 times smaller) once every consumer has read past it, and raw posts are still read from it by position',
    int(1, 4096).default(256),
  ),
});
