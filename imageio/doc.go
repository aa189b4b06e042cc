// Package imageio is the one decoding path every idkit module uses for
// uploaded photos: JPEG, PNG and WebP, with a JPEG's EXIF orientation applied
// (phone photos arrive rotated), a byte limit and a pixel-count limit checked
// before any pixel is decoded (so a small file that expands to gigabytes is
// refused), and typed errors for truncated, corrupt or unsupported data.
//
// Decoded images are returned as *image.RGBA so the perception code reads
// pixels from one memory layout.
package imageio
