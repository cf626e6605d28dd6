/// The image types whose components the postage-stamp server reads and regenerates through update
/// processing: a dependent's `stage`. Its gpc1 tables are ImageDB's.
public enum UpdateStage: String, Sendable, CaseIterable, Codable {
    case chip, warp, diff, stack

    /// The image type of the stage's images.
    public var imageType: ImageType {
        switch self {
        case .chip: .chip
        case .warp: .warp
        case .diff: .diff
        case .stack: .stack
        }
    }

    /// The stage of images of `type`; nil for raw images and stack summaries (never regenerated).
    public init?(_ type: ImageType) {
        guard let stage = Self.allCases.first(where: { $0.imageType == type }) else { return nil }
        self = stage
    }
}
