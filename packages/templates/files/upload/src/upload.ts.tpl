import { BaseUploadAction } from '@synapse/actions'

/** The data types this plugin uploads (`supported_data_type` in config.yaml). */
export const SUPPORTED_DATA_TYPES = {{ supportedDataTypes }}

/** The file extensions of those data types. */
export const ALLOWED_EXTENSIONS: readonly string[] = {{ allowedExtensions }}

/**
 * Uploads the files under `params.path`. BaseUploadAction runs
 * `organize → validation → upload → finalization`: every file with another extension or over
 * `maxFileSizeMb` is named before anything is stored, and a failure removes what was uploaded.
 * Files go to the workspace; override `uploadItem` and `removeUploaded` for another store.
 */
export class UploadAction extends BaseUploadAction {
  static override description = 'Upload files of the supported data types'

  override getAllowedExtensions(): readonly string[] {
    return ALLOWED_EXTENSIONS
  }
}
