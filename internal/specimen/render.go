package specimen

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/idkit-dev/idkit/imageio"
	"github.com/idkit-dev/idkit/internal/imgproc"
	"github.com/idkit-dev/idkit/mrz"
)

// Physical sizes in millimetres (ICAO 9303 parts 4 to 6; ISO/IEC 7810 ID-1).
var sizes = map[Layout][2]float64{
	TD1: {85.6, 53.98},
	DL:  {85.6, 53.98},
	TD2: {105, 74},
	TD3: {125, 88},
}

// OCR-B size 1 is printed at 10 characters per inch.
const mrzPitchMM = 2.54

// ocrbAdvance is the OCR-B advance width in ems (723/1000 units).
const ocrbAdvance = 0.723

// page is one side being drawn.
type page struct {
	img   *image.RGBA
	pxmm  float64
	fonts *fonts
}

func (p *page) px(mm float64) int { return int(math.Round(mm * p.pxmm)) }

func (p *page) rect(x, y, w, h float64) image.Rectangle {
	return image.Rect(p.px(x), p.px(y), p.px(x+w), p.px(y+h))
}

// text draws s with its baseline at (x, y) mm, size in mm of em height.
func (p *page) text(f *opentype.Font, s string, x, y, sizeMM float64, c color.Color) error {
	face, err := newFace(f, sizeMM*p.pxmm)
	if err != nil {
		return err
	}
	defer face.Close()
	d := font.Drawer{Dst: p.img, Src: image.NewUniform(c), Face: face,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * p.pxmm * 64), Y: fixed.Int26_6(y * p.pxmm * 64)}}
	d.DrawString(s)
	return nil
}

// field draws a small bilingual label with its value below.
func (p *page) field(label, value string, x, y float64) error {
	if err := p.text(p.fonts.regular, label, x, y, 1.9, color.RGBA{70, 70, 90, 255}); err != nil {
		return err
	}
	return p.text(p.fonts.bold, value, x, y+3.2, 2.9, color.RGBA{15, 15, 25, 255})
}

// Render draws the document a spec describes.
func Render(s Spec) (*Document, error) {
	l, err := layoutOf(s)
	if err != nil {
		return nil, err
	}
	lines, err := zone(s, l)
	if err != nil {
		return nil, err
	}
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	dpi := s.DPI
	if dpi <= 0 {
		dpi = 300
	}
	if dpi < 100 || dpi > 1200 {
		return nil, fmt.Errorf("%w: DPI %v outside 100..1200", ErrSpec, dpi)
	}
	size := sizes[l]
	newPage := func(seed int64, tint color.RGBA) *page {
		p := &page{pxmm: dpi / 25.4, fonts: fs}
		p.img = image.NewRGBA(image.Rect(0, 0, p.px(size[0]), p.px(size[1])))
		guilloche(p.img, p.pxmm, tint, seed)
		return p
	}
	doc := &Document{Layout: l, MRZ: lines}
	tint := map[Layout]color.RGBA{
		TD1: {226, 236, 246, 255}, TD2: {240, 232, 222, 255},
		TD3: {228, 240, 230, 255}, DL: {238, 238, 226, 255},
	}[l]
	front := newPage(s.Seed, tint)
	doc.Front = front.img
	if err := drawFront(front, s, l, doc); err != nil {
		return nil, err
	}
	switch l {
	case TD1:
		back := newPage(s.Seed+1, tint)
		doc.Back = back.img
		if err := drawBackTD1(back, s, lines, doc); err != nil {
			return nil, err
		}
	case DL:
		back := newPage(s.Seed+1, tint)
		doc.Back = back.img
		drawBackDL(back, s, doc)
	default:
		if doc.MRZBox, err = drawMRZ(front, lines, size); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// titles are the document names printed in the header, in English and
// French as ICAO documents do.
var titles = map[Layout]string{
	TD1: "IDENTITY CARD / CARTE D'IDENTITÉ",
	TD2: "IDENTITY CARD / CARTE D'IDENTITÉ",
	TD3: "PASSPORT / PASSEPORT",
	DL:  "DRIVER LICENSE",
}

func stateName(s Spec) string {
	if s.StateName != "" {
		return s.StateName
	}
	if c, ok := mrz.LookupCountry(s.Fields.IssuingState); ok {
		if c.Kind == mrz.CountrySpecimen {
			return "UTOPIA"
		}
		return strings.ToUpper(c.Name)
	}
	return strings.ToUpper(s.Fields.IssuingState)
}

func visualDate(d mrz.Date) string {
	if !d.Valid() {
		return ""
	}
	if d.Month == 0 {
		return fmt.Sprintf("%04d", d.Year)
	}
	if d.Day == 0 {
		return fmt.Sprintf("%02d.%04d", d.Month, d.Year)
	}
	return fmt.Sprintf("%02d.%02d.%04d", d.Day, d.Month, d.Year)
}

func drawFront(p *page, s Spec, l Layout, doc *Document) error {
	f := s.Fields
	w := sizes[l][0]
	ink := color.RGBA{20, 40, 90, 255}
	// Header: state and document name.
	head := 3.2
	if l == TD3 || l == TD2 {
		head = 4.2
	}
	if err := p.text(p.fonts.bold, stateName(s), 4, 3+head, head, ink); err != nil {
		return err
	}
	if err := p.text(p.fonts.regular, titles[l], 4, 5.5+2*head, head*0.6, ink); err != nil {
		return err
	}
	// Photo box and fields, in millimetres.
	var photo image.Rectangle
	var fx, fy, row float64
	switch l {
	case TD3:
		photo, fx, fy, row = p.rect(5, 20, 32, 40), 42, 20, 6.8
	case TD2:
		photo, fx, fy, row = p.rect(4, 17, 27, 34), 35, 17, 5.6
	default: // TD1, DL
		photo, fx, fy, row = p.rect(3.5, 14.5, 24, 30), 31, 16.5, 5.6
	}
	drawFace(p.img, photo, s.Face)
	doc.FaceBox = photo

	code := f.DocumentCode
	if code == "" {
		code = map[Layout]string{TD1: "I", TD2: "I", TD3: "P", DL: "DL"}[l]
	}
	nat := f.Nationality
	type kv struct{ k, v string }
	var rows []kv
	numLabel := "Document No. / N° du document"
	if l == TD3 {
		numLabel = "Passport No. / N° du passeport"
		rows = append(rows, kv{"Type / Type", code}, kv{"Code / Code", f.IssuingState})
	}
	if l == DL {
		numLabel = "DL No."
	}
	rows = append(rows,
		kv{numLabel, f.DocumentNumber},
		kv{"Surname / Nom", f.Surname},
		kv{"Given names / Prénoms", f.GivenNames},
	)
	if l != DL {
		rows = append(rows, kv{"Nationality / Nationalité", nat})
	}
	sex := string(f.Sex)
	rows = append(rows,
		kv{"Date of birth / Date de naissance", visualDate(f.BirthDate)},
		kv{"Sex / Sexe", sex},
	)
	if s.PlaceOfBirth != "" {
		rows = append(rows, kv{"Place of birth / Lieu de naissance", s.PlaceOfBirth})
	}
	if s.IssueDate.Valid() {
		rows = append(rows, kv{"Date of issue / Date de délivrance", visualDate(s.IssueDate)})
	}
	rows = append(rows, kv{"Date of expiry / Date d'expiration", visualDate(f.ExpiryDate)})
	if s.Authority != "" {
		rows = append(rows, kv{"Authority / Autorité", s.Authority})
	}
	if l == DL && s.Address != "" {
		rows = append(rows, kv{"Address", s.Address})
	}
	// Two columns when the rows do not fit one.
	maxRows := int((sizes[l][1] - fy - map[Layout]float64{TD1: 2, DL: 2, TD2: 14, TD3: 17}[l]) / row)
	colW := (w - fx - 3) / 2
	for i, r := range rows {
		x, y := fx, fy+float64(i)*row
		if i >= maxRows {
			x, y = fx+colW, fy+float64(i-maxRows)*row
			if y > fy+float64(maxRows)*row {
				break
			}
		}
		if r.v == "" {
			continue
		}
		if err := p.field(r.k, r.v, x, y); err != nil {
			return err
		}
	}
	return nil
}

// drawMRZ prints the zone at the bottom of a TD2/TD3 page, on a cleared
// band as ICAO requires, and returns its rectangle.
func drawMRZ(p *page, lines []string, size [2]float64) (image.Rectangle, error) {
	const lineGap = 4.3 // mm between baselines
	bottom := size[1] - 4.6
	top := bottom - float64(len(lines)-1)*lineGap - 2.6
	return printZone(p, lines, 5.5, top, lineGap)
}

func printZone(p *page, lines []string, left, firstBaseline, gap float64) (image.Rectangle, error) {
	band := image.Rect(0, p.px(firstBaseline-4.4), p.img.Rect.Dx(), p.px(firstBaseline+float64(len(lines)-1)*gap+2.2))
	lighten(p.img, band, 0.65)
	em := mrzPitchMM / ocrbAdvance * p.pxmm
	face, err := newFace(p.fonts.ocrb, em)
	if err != nil {
		return image.Rectangle{}, err
	}
	defer face.Close()
	ink := image.NewUniform(color.RGBA{10, 10, 10, 255})
	d := font.Drawer{Dst: p.img, Src: ink, Face: face}
	alt := d
	if p.fonts.sharp != nil {
		sf, err := newFace(p.fonts.sharp, em)
		if err != nil {
			return image.Rectangle{}, err
		}
		defer sf.Close()
		alt.Face = sf
	}
	var box image.Rectangle
	for i, ln := range lines {
		y := firstBaseline + float64(i)*gap
		for j, c := range ln {
			x := left + float64(j)*mrzPitchMM
			dr := &d
			if p.fonts.fallback[c] {
				dr = &alt
			}
			dr.Dot = fixed.Point26_6{X: fixed.Int26_6(x * p.pxmm * 64), Y: fixed.Int26_6(y * p.pxmm * 64)}
			dr.DrawString(string(c))
		}
		r := image.Rect(p.px(left), p.px(y-2.5), p.px(left+float64(len(ln))*mrzPitchMM), p.px(y+0.2))
		box = box.Union(r)
	}
	return box, nil
}

func drawBackTD1(p *page, s Spec, lines []string, doc *Document) error {
	ink := color.RGBA{20, 40, 90, 255}
	if s.Authority != "" {
		if err := p.field("Authority / Autorité", s.Authority, 4, 6); err != nil {
			return err
		}
	}
	if s.IssueDate.Valid() {
		if err := p.field("Date of issue / Date de délivrance", visualDate(s.IssueDate), 4, 13); err != nil {
			return err
		}
	}
	if err := p.text(p.fonts.regular, stateName(s), 50, 8, 2.6, ink); err != nil {
		return err
	}
	const gap = 4.3
	first := 53.98 - 4.2 - 2*gap
	box, err := printZone(p, lines, 4.5, first, gap)
	doc.MRZBox = box
	return err
}

func drawBackDL(p *page, s Spec, doc *Document) {
	if s.Barcode == nil {
		return
	}
	// The barcode fills most of the back, keeping its aspect ratio.
	area := p.rect(4, 14, 77.6, 34)
	b := s.Barcode.Bounds()
	scale := math.Min(float64(area.Dx())/float64(b.Dx()), float64(area.Dy())/float64(b.Dy()))
	w, h := int(float64(b.Dx())*scale), int(float64(b.Dy())*scale)
	r := image.Rect(area.Min.X, area.Min.Y, area.Min.X+w, area.Min.Y+h)
	// Nearest neighbour keeps bar edges sharp.
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sx := b.Min.X + int(float64(x-r.Min.X)/scale)
			sy := b.Min.Y + int(float64(y-r.Min.Y)/scale)
			p.img.Set(x, y, s.Barcode.At(sx, sy))
		}
	}
	doc.BarcodeBox = r
}

// drawFace fills box with face, cropped to the box's aspect ratio around its
// centre, or a silhouette.
func drawFace(dst *image.RGBA, box image.Rectangle, face image.Image) {
	if face == nil {
		draw.Draw(dst, box, image.NewUniform(color.RGBA{200, 205, 210, 255}), image.Point{}, draw.Src)
		cx, cy := float64(box.Min.X+box.Max.X)/2, float64(box.Min.Y)+float64(box.Dy())*0.42
		rx, ry := float64(box.Dx())*0.22, float64(box.Dy())*0.2
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
				sh := (float64(x) - cx) / (float64(box.Dx()) * 0.45)
				shoulders := float64(y) > float64(box.Max.Y)-float64(box.Dy())*0.22*(1-sh*sh)
				if dx*dx+dy*dy <= 1 || shoulders {
					dst.SetRGBA(x, y, color.RGBA{120, 125, 135, 255})
				}
			}
		}
		return
	}
	src := imageio.ToRGBA(face)
	sb := src.Rect
	sw, sh := float64(sb.Dx()), float64(sb.Dy())
	want := float64(box.Dx()) / float64(box.Dy())
	var r imgproc.Rect
	if sw/sh > want {
		cw := sh * want
		r = imgproc.Rect{X1: float64(sb.Min.X) + (sw-cw)/2, Y1: float64(sb.Min.Y), X2: float64(sb.Min.X) + (sw+cw)/2, Y2: float64(sb.Max.Y)}
	} else {
		ch := sw / want
		r = imgproc.Rect{X1: float64(sb.Min.X), Y1: float64(sb.Min.Y) + (sh-ch)/2, X2: float64(sb.Max.X), Y2: float64(sb.Min.Y) + (sh+ch)/2}
	}
	crop := imgproc.Crop(src, r, box.Dx(), box.Dy())
	draw.Draw(dst, box, crop, crop.Rect.Min, draw.Src)
}

// guilloche fills img with a tinted security-print pattern: two families of
// thin wavy lines, the kind of background MRZ localisation must ignore.
func guilloche(img *image.RGBA, pxmm float64, tint color.RGBA, seed int64) {
	ph1 := float64(seed%97) * 0.37
	ph2 := float64(seed%89) * 0.61
	line := color.RGBA{uint8(float64(tint.R) * 0.82), uint8(float64(tint.G) * 0.84), uint8(float64(tint.B) * 0.86), 255}
	b := img.Rect
	// The inner waves depend on one coordinate each: computed once.
	colWave := make([]float64, b.Dx())
	for x := range colWave {
		xm := float64(x) / pxmm
		colWave[x] = 2.1 * math.Sin(0.17*xm+ph2)
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		ym := float64(y-b.Min.Y) / pxmm
		rowWave := 2.4 * math.Sin(0.21*ym+ph1)
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			xm := float64(x) / pxmm
			w1 := math.Sin(1.9*xm + rowWave)
			w2 := math.Sin(1.7*ym + colWave[x])
			c := tint
			if math.Abs(w1) < 0.09 || math.Abs(w2) < 0.07 {
				c = line
			}
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, 255
		}
	}
}

// lighten blends r towards white by amount (0..1).
func lighten(img *image.RGBA, r image.Rectangle, amount float64) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):]
		for x := 0; x < 4*r.Dx(); x++ {
			if x%4 == 3 {
				continue
			}
			row[x] = uint8(float64(row[x]) + (255-float64(row[x]))*amount)
		}
	}
}
