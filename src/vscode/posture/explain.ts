import type { HandlerFactory } from '../shared/services';
import { pickTarget, targetOfNode } from '../shared/targets';

/** Opens the Explain view for a check or finding (from the tree), or a check the user picks. */
export const explain: HandlerFactory = (svc) => async (node?: unknown) => {
  const target = targetOfNode(node) ?? (await pickTarget(svc.posture, { placeHolder: 'Explain which check?' }));
  if (target) await svc.explain.show(target);
};
