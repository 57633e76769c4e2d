// The spam sample, fetched beside the page rather than bundled into its script: the figures that train
// on it need it only when they come into view, and bundled, its 200 kB had to be read before anything
// was drawn. Every section that trains on it shares one download.
import spamSampleUrl from './spam-sample.json?url';

/** A message of the sample: 1 for spam, 0 for ham. */
export interface LabelledMessage {
  spam: number;
  text: string;
}

let loading: Promise<LabelledMessage[]> | undefined;

export function loadSpamSample(): Promise<LabelledMessage[]> {
  loading ??= (async () => {
    const response = await fetch(spamSampleUrl);
    if (!response.ok) {
      throw new Error(`could not load ${spamSampleUrl}: HTTP ${response.status} ${response.statusText}`);
    }
    return ((await response.json()) as { messages: LabelledMessage[] }).messages;
  })();
  return loading;
}
