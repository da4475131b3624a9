// The upload template accepts the file extensions of the data types a plugin is created for.

/** File extensions accepted for each data type an upload plugin can be created for. */
export const UPLOAD_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  image: ['.jpg', '.jpeg', '.png', '.bmp', '.webp', '.tif', '.tiff'],
  video: ['.mp4', '.mov', '.avi', '.mkv', '.webm'],
  audio: ['.wav', '.mp3', '.flac', '.ogg', '.m4a'],
  text: ['.txt', '.json', '.jsonl', '.csv', '.md'],
  pcd: ['.pcd', '.ply', '.bin', '.las', '.laz'],
}
