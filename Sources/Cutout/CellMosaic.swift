// Raw chips made of cells (GPC1 OTAs have 64): each cell is one image extension, placed in chip
// coordinates before any stamp is cut (IPP `ppstampMosaic.c`, `ppstampRegion.c`).
//
// Placement comes from the cell headers, in the NOAO mosaic convention:
//   DATASEC = '[x1:x2,y1:y2]'   the cell's data pixels (overscan left out), 1-based inclusive; default all
//   DETSEC  = '[a:b,c:d]'       where those pixels land in the chip, 1-based inclusive; a > b (or c > d)
//                               flips the cell in x (or y): the IPP's CELL.XPARITY/YPARITY = −1
// The chip is the bounding box of all DETSECs; pixels no cell covers (gaps) are NaN, and BLANK in the
// mosaic mask. Keywords and WCS come from the primary header (the chip's), as for the IPP raw stage.
import FITS
import PStampCore

struct CellMosaic {
    let width: Int
    let height: Int
    let pixels: [Float]
    /// 0 where a cell put data, `blank` in the gaps.
    let mask: [UInt16]
    let cards: [String]
    let wcs: WCS?
    let cellCount: Int

    struct Section: Equatable { var x1, x2, y1, y2: Int }

    /// Parses `[x1:x2,y1:y2]` (1-based, inclusive, either order).
    static func section(_ text: String) -> Section? {
        let t = text.filter { $0 != " " }
        guard t.hasPrefix("["), t.hasSuffix("]") else { return nil }
        let body = t.dropFirst().dropLast()
        let axes = body.split(separator: ",")
        guard axes.count == 2 else { return nil }
        let x = axes[0].split(separator: ":").compactMap { Int($0) }
        let y = axes[1].split(separator: ":").compactMap { Int($0) }
        guard x.count == 2, y.count == 2, x.allSatisfy({ $0 >= 1 }), y.allSatisfy({ $0 >= 1 }) else { return nil }
        return Section(x1: x[0], x2: x[1], y1: y[0], y2: y[1])
    }

    /// The mosaic of a cell file, or nil when the file is not one (fewer than two image extensions with DETSEC).
    init?(file: FITSFile, blank: UInt16 = MaskBits.blank) throws {
        // A primary holding an image is a chip, warp, stack or diff: no need to count the HDUs, which
        // makes cfitsio read past the end of the whole image (the cells' primary holds no data).
        try file.moveTo(hdu: 1)
        if try file.hduType() == .image, (try file.readInt("NAXIS") ?? 0) >= 2 { return nil }
        let count = try file.hduCount()
        guard count >= 3 else { return nil }
        struct Cell { let hdu: Int; let data: Section; let det: Section; let w: Int; let h: Int }
        var cells: [Cell] = []
        for n in 2...count {
            try file.moveTo(hdu: n)
            let isImage = try file.hduType() == .image
            let compressed = try file.isCompressedImage()
            guard isImage || compressed, let detText = try file.readString("DETSEC"), let det = Self.section(detText) else { continue }
            let (w, h) = try file.imageSize()
            let data = try file.readString("DATASEC").flatMap(Self.section) ?? Section(x1: 1, x2: w, y1: 1, y2: h)
            guard data.x1 <= data.x2, data.y1 <= data.y2, data.x2 <= w, data.y2 <= h,
                abs(det.x2 - det.x1) == data.x2 - data.x1, abs(det.y2 - det.y1) == data.y2 - data.y1
            else {
                throw PStampError(.dataError, "cell \(n) of \(file.path): DATASEC and DETSEC disagree in size")
            }
            cells.append(Cell(hdu: n, data: data, det: det, w: w, h: h))
        }
        guard cells.count >= 2 else { return nil }
        let width = cells.map { max($0.det.x1, $0.det.x2) }.max()!
        let height = cells.map { max($0.det.y1, $0.det.y2) }.max()!
        guard width <= 65536, height <= 65536 else {
            throw PStampError(.dataError, "\(file.path): cell DETSECs give an implausible chip of \(width)×\(height)")
        }
        var pixels = [Float](repeating: .nan, count: width * height)
        var mask = [UInt16](repeating: blank, count: width * height)
        for c in cells {
            try file.moveTo(hdu: c.hdu)
            let w = c.data.x2 - c.data.x1 + 1, h = c.data.y2 - c.data.y1 + 1
            let cellPixels = try file.readSection(PixelRegion(x0: c.data.x1 - 1, y0: c.data.y1 - 1, width: w, height: h))
            let flipX = c.det.x1 > c.det.x2, flipY = c.det.y1 > c.det.y2
            let x0 = min(c.det.x1, c.det.x2) - 1, y0 = min(c.det.y1, c.det.y2) - 1
            for j in 0..<h {
                let ty = y0 + (flipY ? h - 1 - j : j)
                for i in 0..<w {
                    let tx = x0 + (flipX ? w - 1 - i : i)
                    pixels[ty * width + tx] = cellPixels[j * w + i]
                    mask[ty * width + tx] = 0
                }
            }
        }
        try file.moveTo(hdu: 1)
        self.width = width
        self.height = height
        self.pixels = pixels
        self.mask = mask
        self.cards = try file.contentCards()
        self.wcs = try? WCS(file: file)
        self.cellCount = cells.count
    }
}

/// Mask bits the stamp engine sets.
public enum MaskBits {
    /// BLANK in the IPP's 16-bit mask recipe (`masks.16bit.config`): pixels with no data.
    public static let blank: UInt16 = 0x0008
}
