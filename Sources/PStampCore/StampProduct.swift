/// The files a stamp job can produce, chosen by the request's OPTION_MASK (IPP `pstamp.h` bits,
/// formats-and-cutouts.md §1.4) and the stage of the image, with their file-name suffixes (§3.3).
public enum StampProduct: String, Sendable, CaseIterable, Comparable {
    case image, mask, variance, sources, psf, backgroundModel, jpeg, exposureMap, countMap, exposureJPEG, countJPEG

    /// The OPTION_MASK bit that asks for this product.
    public var option: OptionMask {
        switch self {
        case .image: return OptionMask.image
        case .mask: return OptionMask.mask
        case .variance: return OptionMask.variance
        case .sources: return OptionMask.sources
        case .psf: return OptionMask.psf
        case .backgroundModel: return OptionMask.backgroundModel
        case .jpeg: return OptionMask.jpeg
        case .exposureMap: return OptionMask.exp
        case .countMap: return OptionMask.num
        case .exposureJPEG: return OptionMask.expJPEG
        case .countJPEG: return OptionMask.numJPEG
        }
    }

    /// The suffix after `<outputBase>`; nil for whole-file copies that keep their original name (psf, background model).
    public var suffix: String? {
        switch self {
        case .image: return ".fits"
        case .mask: return ".mk.fits"
        case .variance: return ".wt.fits"
        case .sources: return ".cmf"
        case .jpeg: return ".jpg"
        case .exposureMap: return ".exp.fits"
        case .countMap: return ".num.fits"
        case .exposureJPEG: return ".exp.jpg"
        case .countJPEG: return ".num.jpg"
        case .psf, .backgroundModel: return nil
        }
    }

    /// True for products cut to the region of interest (the rest are whole-file copies).
    public var isCut: Bool {
        switch self {
        case .image, .mask, .variance, .sources, .jpeg, .exposureMap, .countMap: return true
        case .psf, .backgroundModel, .exposureJPEG, .countJPEG: return false
        }
    }

    public static func < (a: StampProduct, b: StampProduct) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The products and output options one job makes, after the options not valid for the stage were dropped
/// (jobrun's first step, §4.7).
public struct StampProductSelection: Sendable, Equatable {
    /// The OPTION_MASK after SELECT_IMAGE was forced on and invalid bits were removed.
    public let optionMask: OptionMask
    public let products: [StampProduct]
    public let stage: ImageType

    public var uncompressed: Bool { optionMask.contains(.uncompressed) }
    public var inverse: Bool { optionMask.contains(.inverse) }
    public var unconvolved: Bool { optionMask.contains(.unconvolved) }
    public var restoreBackground: Bool { optionMask.contains(.restoreBackground) }
    public var centerOffChip: Bool { optionMask.contains(.multiOverlapImage) }
    public func contains(_ p: StampProduct) -> Bool { products.contains(p) }

    /// Applies the stage rules of §1.4. RESTORE_BACKGROUND on a stage other than chip or stack is code 31
    /// (PSTAMP_BG_RESTORE_NOT_AVAILABLE); stack_summary silently drops it, as the IPP does.
    public init(optionMask: Int, stage: ImageType) throws(PStampError) {
        try self.init(optionMask: OptionMask(rawValue: Int64(optionMask)), stage: stage)
    }

    public init(optionMask: OptionMask, stage: ImageType) throws(PStampError) {
        var m = optionMask.union(.image)
        func drop(_ bits: OptionMask...) { for b in bits { m.remove(b) } }
        switch stage {
        case .raw:
            drop(OptionMask.mask, OptionMask.variance)
        case .stackSummary:
            drop(
                OptionMask.sources, OptionMask.backgroundModel, OptionMask.inverse,
                OptionMask.restoreBackground)
        default: break
        }
        if stage != .stack && stage != .stackSummary {
            drop(OptionMask.exp, OptionMask.num)
        }
        if stage != .stackSummary {
            drop(OptionMask.expJPEG, OptionMask.numJPEG)
        }
        if m.contains(.restoreBackground) && stage != .chip && stage != .stack {
            throw PStampError(
                .bgRestoreNotAvailable,
                "RESTORE_BACKGROUND (4096) is available for chip and stack images only, not \(stage.rawValue)")
        }
        self.optionMask = m
        self.stage = stage
        self.products = StampProduct.allCases.filter { m.contains($0.option) }
    }
}

/// Output names (§3.3): `<ROWNUM>_<jobnum>_<f>_<srcbase>` and its product suffixes.
public enum StampNaming {
    /// `outputBase` of a stamp job. `filter` is the image's filter (its first character is used, `X` when
    /// unknown); `sourceFile` is the source image's path or name, `.fits` (and `.fz`) removed.
    public static func outputBase(rowNumber: Int, jobNumber: Int, filter: String?, sourceFile: String) -> String {
        "\(rowNumber)_\(jobNumber)_\(filterLetter(filter))_\(sourceBase(sourceFile))"
    }

    /// The file name of one product of a stamp.
    public static func fileName(base: String, product: StampProduct) -> String? {
        product.suffix.map { base + $0 }
    }

    public static func filterLetter(_ filter: String?) -> String {
        guard let f = filter?.first(where: { $0 != " " }) else { return "X" }
        return String(f)
    }

    public static func sourceBase(_ path: String) -> String {
        var name = lastComponent(path)
        for ext in [".fz", ".gz"] where name.hasSuffix(ext) { name.removeLast(ext.count) }
        if name.hasSuffix(".fits") { name.removeLast(5) }
        return name
    }

    public static func lastComponent(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}
