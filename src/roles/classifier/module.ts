// The classifier role: reads the raw topic, matches each post against every active event, stores the rows.

import { classifierWorkersMax } from '../../config/components.js';
import type { ModuleManager } from '../../runtime/modules.js';
import { need, type Services } from '../../runtime/services.js';
import { Classifier } from './classifier.js';

async function initClassifier(s: Services) {
  const metrics = need(s, 'metrics');
  const classifier = new Classifier(need(s, 'bus'), need(s, 'store'), s.log.child('classifier'), {
    workers: s.config.classifierWorkers,
    maxWorkers: classifierWorkersMax(s.config),
    onBatch: (o, seconds) => {
      metrics.postsIn.inc(o.counts.lines);
      metrics.postsOut.inc(o.counts.rows);
      metrics.rejects.inc(o.counts.rejected);
      metrics.limited.inc(o.counts.limited);
      for (const [event, n] of Object.entries(o.matches)) metrics.matches.inc({ event }, n);
      metrics.storeLatency.observe(seconds);
    },
  });
  await classifier.start();
  s.classifier = classifier;
  return () => classifier.stop();
}

export function registerClassifierModule(m: ModuleManager<Services>): void {
  m.register('classifier', ['bus', 'store', 'metrics'], initClassifier);
}
