// A source of stamps: an image with its optional mask and variance, opened once and kept open across
// the stamps of a batch. The image HDU is the primary when it holds an image, else the first extension
// that does (a tile-compressed image sits in extension 1). A file with several image extensions that
// carry DETSEC is a raw chip made of cells and is mosaicked first (CellMosaic.swift).
import FITS
import PStampCore

public final class StampSource {
    public let imagePath: String
    public let maskPath: String?
    public let variancePath: String?
    public let width: Int
    public let height: Int
    /// The content keywords of the image header (structural ones left out), copied to every stamp.
    let imageCards: [String]
    let maskCards: [String]
    let varianceCards: [String]
    /// The parent's WCS, if its header has one wcslib understands.
    public let wcs: WCS?
    /// True when the image is tile-compressed (sections decompress only the tiles they touch).
    public let isCompressed: Bool
    /// True when the image was mosaicked from cells.
    public let isMosaic: Bool

    var image: any PixelPlane<Float>
    var mask: (any PixelPlane<UInt16>)?
    var variance: (any PixelPlane<Float>)?
    private var files: [FITSFile] = []

    /// Opens the files. A missing file is code 26 (PSTAMP_GONE); an unreadable one code 5 (data error).
    public init(image imagePath: String, mask maskPath: String? = nil, variance variancePath: String? = nil) throws {
        self.imagePath = imagePath
        self.maskPath = maskPath
        self.variancePath = variancePath
        let imageFile = try StampSource.open(imagePath)
        files.append(imageFile)
        do {
            if let mosaic = try CellMosaic(file: imageFile) {
                image = MemoryPlane(pixels: mosaic.pixels, width: mosaic.width, height: mosaic.height)
                mask = MemoryPlane(pixels: mosaic.mask, width: mosaic.width, height: mosaic.height)
                imageCards = mosaic.cards
                wcs = mosaic.wcs
                isCompressed = false
                isMosaic = true
            } else {
                let hdu = try StampSource.imageHDU(of: imageFile)
                let plane = try FITSPlane<Float>(file: imageFile, hdu: hdu)
                image = plane
                isCompressed = try imageFile.isCompressedImage()
                imageCards = try imageFile.contentCards()
                wcs = try? WCS(file: imageFile)
                isMosaic = false
            }
            width = image.width
            height = image.height
            // A mosaic carries its own mask.
            let maskFile = isMosaic ? nil : try StampSource.companion(maskPath, of: UInt16.self, width, height)
            if let maskFile { files.append(maskFile.file); mask = maskFile.plane }
            maskCards = maskFile?.cards ?? []
            let varianceFile = try StampSource.companion(variancePath, of: Float.self, width, height)
            if let varianceFile { files.append(varianceFile.file); variance = varianceFile.plane }
            varianceCards = varianceFile?.cards ?? []
        } catch let e as PStampError {
            throw e
        } catch {
            throw PStampError(.dataError, "cannot read \(imagePath): \(error)")
        }
    }

    deinit { for f in files { f.closeQuietly() } }

    /// Reads the planes through row windows: for a batch whose stamps come sorted by first row.
    func useRowWindows(band: Int) {
        image = Self.windowed(image, band: band)
        if let m = mask { mask = Self.windowed(m, band: band) }
        if let v = variance { variance = Self.windowed(v, band: band) }
    }

    private static func windowed<P: PixelPlane>(_ p: P, band: Int) -> any PixelPlane<P.Pixel> {
        if let plane = p as? FITSPlane<P.Pixel>, plane.readsDirectly {  // rows read as needed already
            plane.prepareForManySections()
            return p
        }
        return RowWindowPlane(p, band: band)
    }

    static func open(_ path: String) throws -> FITSFile {
        do {
            return try FITSFile.open(path, extendedSyntax: false)
        } catch let e as FITSError where e.status == 104 {
            throw PStampError(.gone, "input file missing or unreadable: \(path)")
        } catch {
            throw PStampError(.dataError, "cannot open \(path): \(error)")
        }
    }

    /// The HDU holding the image: the primary if NAXIS ≥ 2 there, else the first image extension.
    static func imageHDU(of file: FITSFile) throws -> Int {
        try file.moveTo(hdu: 1)
        if try file.hduType() == .image, (try file.readInt("NAXIS") ?? 0) >= 2 { return 1 }  // no HDU count needed
        let count = try file.hduCount()
        for n in 1...count {
            try file.moveTo(hdu: n)
            let compressed = try file.isCompressedImage()
            let isImage = try file.hduType() == .image
            let naxis = try file.readInt("NAXIS") ?? 0
            if compressed || (isImage && naxis >= 2) { return n }
        }
        throw PStampError(.dataError, "\(file.path) holds no 2-d image")
    }

    /// Opens a mask or variance file that must match the image's size: its plane and content keywords
    /// (nil without a path).
    static func companion<T: FITSPixelValue>(
        _ path: String?, of _: T.Type, _ width: Int, _ height: Int
    ) throws
        -> (file: FITSFile, plane: FITSPlane<T>, cards: [String])?
    {
        guard let path else { return nil }
        let file = try open(path)
        let plane = try FITSPlane<T>(file: file, hdu: try imageHDU(of: file))
        try checkSize(plane, width, height, path)
        return (file, plane, try file.contentCards())
    }

    static func checkSize<P: PixelPlane>(_ p: P, _ w: Int, _ h: Int, _ path: String) throws {
        guard p.width == w, p.height == h else {
            throw PStampError(.dataError, "\(path) is \(p.width)×\(p.height), the image is \(w)×\(h)")
        }
    }
}
