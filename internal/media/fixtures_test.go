package media_test

import (
	"bytes"
	"encoding/binary"
	"math"
)

// Minimal files of each allowed type: the magic bytes the server sniffs and, for audio and
// video, the headers a duration is read from. They are not playable, and need not be.

func pngFile(n int) []byte {
	return pad([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), n)
}

func jpegFile() []byte { return pad([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, 200) }

func webpFile() []byte { return pad([]byte("RIFF\x00\x01\x00\x00WEBPVP8 "), 200) }

func box(typ string, body ...[]byte) []byte {
	b := bytes.Join(body, nil)
	out := make([]byte, 8, 8+len(b))
	binary.BigEndian.PutUint32(out, uint32(8+len(b)))
	copy(out[4:], typ)
	return append(out, b...)
}

// mp4File is ftyp (brand), a media data box, then moov/mvhd with duration/timescale (the moov at
// the end, as most encoders write it).
func mp4File(brand string, timescale, duration uint32) []byte {
	mvhd := make([]byte, 100)
	binary.BigEndian.PutUint32(mvhd[12:], timescale)
	binary.BigEndian.PutUint32(mvhd[16:], duration)
	return bytes.Join([][]byte{
		box("ftyp", []byte(brand), []byte{0, 0, 0, 0}, []byte("isommp41")),
		box("mdat", bytes.Repeat([]byte{7}, 4000)),
		box("moov", box("mvhd", mvhd)),
	}, nil)
}

func ebml(id []byte, body []byte) []byte {
	// Sizes as 8-byte vints (0x01 marker) keep the builder simple.
	size := make([]byte, 8)
	binary.BigEndian.PutUint64(size, uint64(len(body)))
	size[0] = 0x01
	return append(append(append([]byte{}, id...), size...), body...)
}

// webmFile is an EBML header with DocType webm and a segment whose info says seconds.
func webmFile(seconds float64) []byte {
	dur := make([]byte, 8)
	binary.BigEndian.PutUint64(dur, math.Float64bits(seconds*1000))
	header := ebml([]byte{0x1A, 0x45, 0xDF, 0xA3}, ebml([]byte{0x42, 0x82}, []byte("webm")))
	info := ebml([]byte{0x15, 0x49, 0xA9, 0x66}, append(ebml([]byte{0x2A, 0xD7, 0xB1}, []byte{0x0F, 0x42, 0x40}),
		ebml([]byte{0x44, 0x89}, dur)...))
	seg := ebml([]byte{0x18, 0x53, 0x80, 0x67}, append(info, ebml([]byte{0x1F, 0x43, 0xB6, 0x75}, bytes.Repeat([]byte{1}, 500))...))
	return append(header, seg...)
}

func oggPage(granule uint64, packet []byte) []byte {
	p := []byte("OggS\x00\x02")
	g := make([]byte, 8)
	binary.LittleEndian.PutUint64(g, granule)
	p = append(p, g...)
	p = append(p, make([]byte, 12)...) // serial, sequence, checksum
	p = append(p, 1, byte(len(packet)))
	return append(p, packet...)
}

// oggFile is a Vorbis stream at 44.1 kHz whose last page ends at seconds.
func oggFile(seconds float64) []byte {
	id := append([]byte("\x01vorbis\x00\x00\x00\x00\x02"), 0x44, 0xAC, 0, 0)
	id = append(id, make([]byte, 14)...)
	return bytes.Join([][]byte{oggPage(0, id), oggPage(1000, bytes.Repeat([]byte{3}, 200)),
		oggPage(uint64(seconds*44100), bytes.Repeat([]byte{4}, 200))}, nil)
}

func mp3File() []byte { return pad([]byte("ID3\x04\x00\x00\x00\x00\x00\x00"), 300) }

func aacFile() []byte { return pad([]byte{0xFF, 0xF1, 0x50, 0x80}, 300) }

func pdfFile() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func vttFile() []byte {
	return []byte("WEBVTT\n\n00:00.000 --> 00:02.000\nWelcome to the call.\n")
}

func pad(head []byte, n int) []byte {
	if len(head) >= n {
		return head
	}
	return append(head, bytes.Repeat([]byte{0x42}, n-len(head))...)
}
