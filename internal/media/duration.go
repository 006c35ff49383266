package media

import (
	"bytes"
	"encoding/binary"
	"io"
	"math"
)

// Duration reads the playing time of an audio or video file from its container headers: MP4/M4A
// (the movie header), WebM (the segment info) and Ogg (the last page's granule position over the
// stream's rate). It answers nil when the container does not record it (MP3, AAC, a WebM from a
// live recorder) or the headers are damaged; a duration is a convenience, never a reason to
// refuse a file. Reads are bounded: a few headers, never the media data.
func Duration(contentType string, r io.ReadSeeker, size int64) *float64 {
	var d float64
	var ok bool
	switch contentType {
	case "video/mp4", "audio/mp4":
		d, ok = mp4Duration(r, size)
	case "video/webm":
		d, ok = webmDuration(r, size)
	case "audio/ogg":
		d, ok = oggDuration(r, size)
	}
	if !ok || math.IsNaN(d) || math.IsInf(d, 0) || d < 0 || d > 7*24*3600 {
		return nil
	}
	d = math.Round(d*1000) / 1000
	return &d
}

// readAt reads n bytes at off.
func readAt(r io.ReadSeeker, off int64, n int) ([]byte, bool) {
	if _, err := r.Seek(off, io.SeekStart); err != nil {
		return nil, false
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, false
	}
	return b, true
}

// mp4Duration walks the boxes to moov/mvhd: duration / timescale.
func mp4Duration(r io.ReadSeeker, size int64) (float64, bool) {
	start, end := int64(0), size
	for _, want := range []string{"moov", "mvhd"} {
		found := false
		for off, n := start, 0; off+8 <= end && n < 1000; n++ {
			h, ok := readAt(r, off, 16)
			if !ok {
				h, ok = readAt(r, off, 8)
				if !ok {
					return 0, false
				}
			}
			boxSize, hdr := int64(binary.BigEndian.Uint32(h[0:4])), int64(8)
			switch boxSize {
			case 1:
				if len(h) < 16 {
					return 0, false
				}
				boxSize, hdr = int64(binary.BigEndian.Uint64(h[8:16])), 16
			case 0:
				boxSize = end - off
			}
			if boxSize < hdr || off+boxSize > end {
				return 0, false
			}
			if string(h[4:8]) == want {
				start, end, found = off+hdr, off+boxSize, true
				break
			}
			off += boxSize
		}
		if !found {
			return 0, false
		}
	}
	b, ok := readAt(r, start, min(32, int(end-start)))
	if !ok || len(b) < 20 {
		return 0, false
	}
	var scale, dur uint64
	if b[0] == 1 {
		if len(b) < 32 {
			return 0, false
		}
		scale, dur = uint64(binary.BigEndian.Uint32(b[20:24])), binary.BigEndian.Uint64(b[24:32])
	} else {
		scale, dur = uint64(binary.BigEndian.Uint32(b[12:16])), uint64(binary.BigEndian.Uint32(b[16:20]))
	}
	if scale == 0 || dur == math.MaxUint32 || dur == math.MaxUint64 {
		return 0, false
	}
	return float64(dur) / float64(scale), true
}

// EBML ids of the elements webmDuration reads.
const (
	ebmlSegment       = 0x18538067
	ebmlInfo          = 0x1549A966
	ebmlTimecodeScale = 0x2AD7B1
	ebmlDuration      = 0x4489
	ebmlCluster       = 0x1F43B675
)

// vint reads an EBML variable-length integer from b: the value (with the length marker kept
// for ids, removed for sizes), its length, and whether it is the "unknown size" value.
func vint(b []byte, keepMarker bool) (uint64, int, bool) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0, false
	}
	n := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		n++
	}
	if n > 8 || len(b) < n {
		return 0, 0, false
	}
	v := uint64(b[0])
	if !keepMarker {
		v &= uint64(0xFF >> n)
	}
	allOnes := v == uint64(0xFF>>n)
	for i := 1; i < n; i++ {
		v = v<<8 | uint64(b[i])
		allOnes = allOnes && b[i] == 0xFF
	}
	return v, n, !keepMarker && allOnes
}

// webmDuration reads Segment/Info/Duration × TimecodeScale (nanoseconds).
func webmDuration(r io.ReadSeeker, size int64) (float64, bool) {
	// element reads the header of the element at off: id, data offset, data size.
	element := func(off int64) (uint64, int64, int64, bool) {
		h, ok := readAt(r, off, int(min(16, size-off)))
		if !ok {
			return 0, 0, 0, false
		}
		id, il, _ := vint(h, true)
		if il == 0 {
			return 0, 0, 0, false
		}
		sz, sl, unknown := vint(h[il:], false)
		if sl == 0 {
			return 0, 0, 0, false
		}
		n := int64(sz)
		if unknown || off+int64(il+sl)+n > size {
			n = size - off - int64(il+sl)
		}
		return id, off + int64(il+sl), n, true
	}
	// Top level: the EBML header, then the Segment.
	off := int64(0)
	var segStart, segEnd int64
	for i := 0; i < 4 && off < size; i++ {
		id, data, n, ok := element(off)
		if !ok {
			return 0, false
		}
		if id == ebmlSegment {
			segStart, segEnd = data, data+n
			break
		}
		off = data + n
	}
	if segEnd == 0 {
		return 0, false
	}
	for off, i := segStart, 0; off < segEnd && i < 64; i++ {
		id, data, n, ok := element(off)
		if !ok || id == ebmlCluster {
			return 0, false
		}
		if id != ebmlInfo {
			off = data + n
			continue
		}
		scale, dur, have := 1_000_000.0, 0.0, false
		for o, j := data, 0; o < data+n && j < 64; j++ {
			cid, cdata, cn, ok := element(o)
			if !ok || cn > 8 {
				return 0, false
			}
			b, ok := readAt(r, cdata, int(cn))
			if !ok {
				return 0, false
			}
			switch cid {
			case ebmlTimecodeScale:
				var v uint64
				for _, x := range b {
					v = v<<8 | uint64(x)
				}
				scale = float64(v)
			case ebmlDuration:
				switch cn {
				case 4:
					dur, have = float64(math.Float32frombits(binary.BigEndian.Uint32(b))), true
				case 8:
					dur, have = math.Float64frombits(binary.BigEndian.Uint64(b)), true
				}
			}
			o = cdata + cn
		}
		return dur * scale / 1e9, have
	}
	return 0, false
}

// oggDuration is the last page's granule position over the first stream's rate (Vorbis: its
// sample rate; Opus: 48 kHz less the pre-skip).
func oggDuration(r io.ReadSeeker, size int64) (float64, bool) {
	first, ok := readAt(r, 0, int(min(size, 4096)))
	if !ok || len(first) < 28 {
		return 0, false
	}
	segs := int(first[26])
	if len(first) < 27+segs+19 {
		return 0, false
	}
	pkt := first[27+segs:]
	var rate float64
	var skip uint64
	switch {
	case bytes.HasPrefix(pkt, []byte("\x01vorbis")) && len(pkt) >= 16:
		rate = float64(binary.LittleEndian.Uint32(pkt[12:16]))
	case bytes.HasPrefix(pkt, []byte("OpusHead")) && len(pkt) >= 12:
		rate, skip = 48000, uint64(binary.LittleEndian.Uint16(pkt[10:12]))
	default:
		return 0, false
	}
	if rate == 0 {
		return 0, false
	}
	tailLen := min(size, 65536)
	tail, ok := readAt(r, size-tailLen, int(tailLen))
	if !ok {
		return 0, false
	}
	i := bytes.LastIndex(tail, []byte("OggS"))
	if i < 0 || len(tail) < i+14 {
		return 0, false
	}
	g := binary.LittleEndian.Uint64(tail[i+6 : i+14])
	if g == math.MaxUint64 || g < skip {
		return 0, false
	}
	return float64(g-skip) / rate, true
}
