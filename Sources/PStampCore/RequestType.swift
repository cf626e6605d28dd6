/// REQ_TYPE: how a request row chooses its images (formats-and-cutouts.md §1.5).
public enum RequestType: String, Sendable, CaseIterable {
    case byid, byexp, bycoord, byskycell, bydiff
}
