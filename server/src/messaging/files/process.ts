import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';

/** Images the server re-encodes and shows inline (R-FILE-7); every other type is an attachment. */
const IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/**
 * Types refused outright (R-FILE-5): programs a click could run. Sniffed, so renaming one to
 * `.txt` does not help.
 */
const REFUSED = new Set([
  'application/x-msdownload',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-msi',
  'application/vnd.android.package-archive',
  'application/x-sharedlib',
]);

/** Longest side of a thumbnail, px. */
export const THUMB_MAX_PX = 320;

export type Processed =
  | {
      ok: true;
      kind: 'image' | 'file';
      mime: string;
      bytes: Buffer;
      width?: number;
      height?: number;
      thumb?: Buffer;
    }
  | { ok: false; reason: 'type' | 'image' };

/**
 * R-FILE-5: the type comes from the bytes (magic numbers), never from the client's name or
 * header; unknown bytes (text, SVG, HTML) are application/octet-stream, served as an attachment.
 * R-FILE-7: images are decoded and encoded again, which drops every metadata block (EXIF with
 * GPS, XMP, comments: sharp keeps none unless asked), rotated upright first by their EXIF
 * orientation, and get a WebP thumbnail.
 */
export async function processUpload(bytes: Buffer): Promise<Processed> {
  const sniffed = await fileTypeFromBuffer(bytes);
  const mime = sniffed?.mime ?? 'application/octet-stream';
  if (REFUSED.has(mime)) return { ok: false, reason: 'type' };
  if (!IMAGES.has(mime)) return { ok: true, kind: 'file', mime, bytes };
  try {
    const animated = mime === 'image/gif' || mime === 'image/webp';
    const img = sharp(bytes, { animated, limitInputPixels: 100_000_000 }).rotate();
    const encoded =
      mime === 'image/jpeg'
        ? img.jpeg({ quality: 85 })
        : mime === 'image/png'
          ? img.png()
          : mime === 'image/webp'
            ? img.webp()
            : img.gif();
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const thumb = await sharp(data, { animated: false })
      .resize(THUMB_MAX_PX, THUMB_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toBuffer();
    const height = info.pageHeight ?? info.height;
    return { ok: true, kind: 'image', mime, bytes: data, width: info.width, height, thumb };
  } catch {
    // Claims to be an image by its first bytes but does not decode.
    return { ok: false, reason: 'image' };
  }
}
