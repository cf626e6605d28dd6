/// Why a registry change was refused. Messages follow the IPP's dsreg where it has one.
public enum OutgoingDataStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    case productExists(String)
    case productNotFound(String)
    case filesetExists(fileset: String, product: String)
    case filesetNotFound(fileset: String, product: String)

    public var description: String {
        switch self {
        case .productExists(let p): return "product '\(p)' already exists"
        case .productNotFound(let p): return "product '\(p)' not found"
        case .filesetExists(let f, let p): return "Fileset '\(f)' already exists in product \(p)."
        case .filesetNotFound(let f, let p): return "Fileset '\(f)' not found in \(p)."
        }
    }
}
