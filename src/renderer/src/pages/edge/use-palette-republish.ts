import { useState } from 'react';
import type { AuthorityView, EdgeConfigView, EdgePublishInput } from '../../../../shared/contract/index.ts';
import { useCommandIntent } from '../../state/command-intent.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { withApprovedSettings, type EdgeFormValues } from './edge-form.ts';
import { republishPlan, type RepublishBlock } from './republish.ts';

interface Options {
  config: EdgeConfigView | undefined;
  values: EdgeFormValues;
  setValues: (values: EdgeFormValues) => void;
  issuing: readonly AuthorityView[];
  /** Opens the page's own publish confirmation for this input. */
  confirm: (input: EdgePublishInput) => void;
}

/**
 * The command palette's "Publish the edge" on the Edge page: the approved settings go to the page's own
 * confirmation, or the missing approval is named (`blocked`) with the command that fixes it.
 */
export function usePaletteRepublish({ config, values, setValues, issuing, confirm }: Options) {
  const [blocked, setBlocked] = useState<RepublishBlock | null>(null);
  const { result: lastPublished } = useChannelQuery('edge:history', { limit: 1 });
  useCommandIntent(
    'publish-edge',
    () => {
      if (!config) return;
      const last = lastPublished?.ok ? lastPublished.value[0] : undefined;
      const plan = republishPlan(
        config,
        last,
        values,
        issuing.map((a) => a.id),
      );
      if (!plan.ok) {
        setBlocked(plan);
        return;
      }
      // The page shows what is published: the approved settings and the CAs trusted.
      setValues({ ...withApprovedSettings(values, plan.input.settings), ca: plan.cas });
      confirm(plan.input);
    },
    config !== undefined && lastPublished !== null,
  );
  return { blocked, dismiss: () => setBlocked(null) };
}
