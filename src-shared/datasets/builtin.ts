/** The datasets the app ships, from npm packages, so training works offline from the first start. */

/** A dataset that needs no import. */
export interface BuiltinDataset {
  /** Id stored in project files and the input node's `dataset` parameter. */
  id: string;
  /** Name shown to people. */
  title: string;
  /** Shape of one sample (height, width, channels). */
  shape: [number, number, number];
  /** Number of samples the package holds. */
  count: number;
  /** Names of the label values, by label index. */
  labelNames: readonly string[];
}

/** Every built-in dataset. */
export const BUILTIN_DATASETS: readonly BuiltinDataset[] = [
  { id: 'mnist', title: 'MNIST digits', shape: [28, 28, 1], count: 10000, labelNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
  {
    id: 'fashion-mnist',
    title: 'Fashion-MNIST',
    shape: [28, 28, 1],
    count: 70000,
    labelNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  },
];

/** The dataset choice that means "imported from a file, see the project's datasetImport". */
export const CUSTOM_DATASET_ID = 'custom';

/** The built-in dataset with this id, if any. */
export function findBuiltinDataset(id: string): BuiltinDataset | undefined {
  return BUILTIN_DATASETS.find((d) => d.id === id);
}
