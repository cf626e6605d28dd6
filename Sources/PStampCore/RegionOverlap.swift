/// Which part of a stamp comes from the source image and where it lands: the pixel bookkeeping of the
/// IPP's `extractStamp`, with the stamp always at full size and the rest padded (NaN, or BLANK in masks).
public struct RegionOverlap: Sendable, Equatable {
    /// The full stamp size (always the requested size).
    public let stampWidth: Int
    public let stampHeight: Int
    /// First source pixel copied (0-based) and where it lands in the stamp.
    public let sourceX: Int
    public let sourceY: Int
    public let stampX: Int
    public let stampY: Int
    /// Size of the copied rectangle; zero when the region misses the image.
    public let copyWidth: Int
    public let copyHeight: Int

    /// True when no source pixel falls inside the stamp.
    public var isEmpty: Bool { copyWidth <= 0 || copyHeight <= 0 }
    /// True when the whole stamp comes from the image (no padding needed).
    public var isComplete: Bool { copyWidth == stampWidth && copyHeight == stampHeight }

    /// The overlap of `region` with an image of `imageWidth × imageHeight` pixels.
    public init(region: StampRegion, imageWidth: Int, imageHeight: Int) {
        self.init(
            startX: region.startX, startY: region.startY, width: region.width, height: region.height,
            imageWidth: imageWidth, imageHeight: imageHeight)
    }

    public init(startX: Int, startY: Int, width: Int, height: Int, imageWidth: Int, imageHeight: Int) {
        stampWidth = max(0, width)
        stampHeight = max(0, height)
        let (sx, dx, cw) = Self.axis(start: startX, length: stampWidth, size: imageWidth)
        let (sy, dy, ch) = Self.axis(start: startY, length: stampHeight, size: imageHeight)
        sourceX = sx; stampX = dx; copyWidth = cw
        sourceY = sy; stampY = dy; copyHeight = ch
    }

    private static func axis(start: Int, length: Int, size: Int) -> (source: Int, stamp: Int, count: Int) {
        let first = max(start, 0)
        let last = min(start + length, size)  // exclusive
        let count = max(0, last - first)
        return (first, first - start, count)
    }
}
