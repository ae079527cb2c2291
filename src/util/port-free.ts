// A port taken by another program is found before anything is created (no data directory, no database): binding
// it for a moment says whether the server could listen there.

import { createServer } from 'node:net';
import { VigilError } from '../core/errors.js';

/** Resolves when `host:port` can be listened on (port 0: any free one, always); otherwise throws what to do. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE')
        reject(
          new VigilError(
            'VIGIL_IN_USE',
            `port ${port} on ${host} is in use by another program (another Vigil?); stop it, or choose another port: --port ${port + 1} (or VIGIL_PORT)`,
          ),
        );
      else if (err.code === 'EACCES')
        reject(new VigilError('VIGIL_USAGE', `port ${port} on ${host} needs privileges this user does not have; choose a port above 1023 with --port`));
      else reject(err);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
