/// IMG_TYPE: the processing stage of the images a row asks for, and of the image a stamp is cut from.
public enum ImageType: String, Sendable, CaseIterable, Codable {
    case raw, chip, warp, stack, diff
    case stackSummary = "stack_summary"
}
