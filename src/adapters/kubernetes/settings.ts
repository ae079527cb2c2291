// Settings of the Kubernetes orchestrator (--orchestrator kubernetes).

import { z } from 'zod';
import { group, setting } from '../../config/setting.js';
import { VIGIL_VERSION } from '../../version.js';

export const KUBERNETES_SETTINGS = group(
  'Kubernetes (--orchestrator kubernetes)',
  {
    kubeNamespace: setting(
      '--kube-namespace',
      'namespace the Kubernetes orchestrator works in',
      z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/u, 'must be a Kubernetes namespace name')
        .optional(),
      { shown: "the pod's, else default" },
    ),
    kubeImage: setting('--image', 'container image of the pods the controller creates', z.string().min(1).default(`vigil:${VIGIL_VERSION}`), {
      env: 'VIGIL_IMAGE',
      shown: 'vigil:<this version>',
    }),
    kubeOwner: setting(
      '--kube-owner',
      'Deployment that owns what the controller creates (deleting it deletes them)',
      z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/u, 'must be a Deployment name')
        .default('vigil-controller'),
    ),
  },
  ['run'],
);
