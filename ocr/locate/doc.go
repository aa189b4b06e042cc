// Package locate finds identity documents and their machine readable zones
// in photos with OpenCV (gocv v0.31.0, the version that builds against
// Debian 12's OpenCV 4.6). It implements ocr.Locator.
//
// The document outline is the largest convex quadrilateral among the
// contours of the edge map (Canny on a smoothed, shrunk copy), or failing
// that the rotated bounding box of the largest contour; Rectify corrects
// the perspective with a homography.
//
// Machine readable zones are found the classic way: a morphological
// black-hat brings out dark print on a light ground, a horizontal Scharr
// gradient keeps the vertical strokes of characters, closings with a wide
// kernel join characters into lines and lines into a block, and the blocks'
// rotated bounding rectangles are scored by their aspect ratio, width and
// position. Each candidate is cut from the full-resolution image, deskewed
// by its rectangle's angle.
//
// This package needs cgo and OpenCV; importing ocr or mrz never pulls it in.
package locate
