/** The Data view: the dataset the project trains on, and a preview of it. (Its fuller contents are being built separately.) */
import { DatasetPicker } from '../training/DatasetPicker';

export function DataView() {
  return (
    <div className="data-view">
      <div className="data-view__picker">
        <DatasetPicker />
      </div>
    </div>
  );
}
