// Opt in to the std::string text API zxing-cpp moves to after 1.4.
#define ZX_USE_UTF8

#include "zxing_shim.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>

#include "BarcodeFormat.h"
#include "BitMatrix.h"
#include "DecodeHints.h"
#include "ImageView.h"
#include "MultiFormatWriter.h"
#include "ReadBarcode.h"

namespace {

void set_err(char* err, int errlen, const char* msg) {
	if (err == nullptr || errlen <= 0) return;
	std::strncpy(err, msg, errlen - 1);
	err[errlen - 1] = '\0';
}

} // namespace

extern "C" {

int idk_zx_format_pdf417(void) { return static_cast<int>(ZXing::BarcodeFormat::PDF417); }
int idk_zx_format_qr(void) { return static_cast<int>(ZXing::BarcodeFormat::QRCode); }

int idk_zx_read(const unsigned char* gray, int width, int height, int stride,
                int formats, int try_harder, idk_zx_result* out, char* err, int errlen) {
	try {
		ZXing::ImageView view(gray, width, height, ZXing::ImageFormat::Lum, stride);
		ZXing::DecodeHints hints;
		hints.setFormats(static_cast<ZXing::BarcodeFormat>(formats));
		hints.setTryHarder(try_harder != 0);
		hints.setTryRotate(try_harder != 0);
		hints.setMaxNumberOfSymbols(1);
		ZXing::Result res = ZXing::ReadBarcode(view, hints);
		if (!res.isValid()) return 0;
		const ZXing::ByteArray& bytes = res.bytes();
		out->format = static_cast<int>(res.format());
		out->len = static_cast<int>(bytes.size());
		out->data = static_cast<unsigned char*>(std::malloc(bytes.size() + 1));
		if (out->data == nullptr) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		if (!bytes.empty()) std::memcpy(out->data, bytes.data(), bytes.size());
		out->data[bytes.size()] = 0;
		const ZXing::Position& p = res.position();
		for (int i = 0; i < 4; i++) {
			out->x[i] = p[i].x;
			out->y[i] = p[i].y;
		}
		out->orientation = res.orientation();
		return 1;
	} catch (const std::exception& e) {
		set_err(err, errlen, e.what());
	} catch (...) {
		set_err(err, errlen, "unknown zxing-cpp exception");
	}
	return -1;
}

void idk_zx_free_result(idk_zx_result* r) {
	if (r != nullptr && r->data != nullptr) {
		std::free(r->data);
		r->data = nullptr;
	}
}

int idk_zx_write(int format, const char* data, int len, int width, int height,
                 int margin, int ecc, unsigned char** out, int* out_w, int* out_h,
                 char* err, int errlen) {
	try {
		ZXing::MultiFormatWriter writer(static_cast<ZXing::BarcodeFormat>(format));
		writer.setMargin(margin);
		if (ecc >= 0) writer.setEccLevel(ecc);
		// Bytes are passed one per wide character (ISO 8859-1), so control
		// characters such as the AAMVA record separator survive as they are.
		std::wstring text(static_cast<size_t>(len), L'\0');
		for (int i = 0; i < len; i++) text[i] = static_cast<unsigned char>(data[i]);
		writer.setEncoding(ZXing::CharacterSet::ISO8859_1);
		ZXing::BitMatrix m = writer.encode(text, width, height);
		int w = m.width(), h = m.height();
		unsigned char* buf = static_cast<unsigned char*>(std::malloc(static_cast<size_t>(w) * h));
		if (buf == nullptr) {
			set_err(err, errlen, "out of memory");
			return -1;
		}
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) buf[y * w + x] = m.get(x, y) ? 0 : 255;
		*out = buf;
		*out_w = w;
		*out_h = h;
		return 0;
	} catch (const std::exception& e) {
		set_err(err, errlen, e.what());
	} catch (...) {
		set_err(err, errlen, "unknown zxing-cpp exception");
	}
	return -1;
}

void idk_zx_free(void* p) { std::free(p); }

} // extern "C"
