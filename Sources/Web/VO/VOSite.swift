import Foundation
import ImageDB
import PStampCore
import RequestDB

/// What the Virtual Observatory face needs to know about the site: its IVOA authority (the `ivo://`
/// identifiers of its images and of the service), the URL clients reach it at, the default access
/// level (as for request files), what the registry record says, and the image databases by name.
public struct VOSite: Sendable {
    /// The IVOA authority, e.g. `example.org`: images are `ivo://<authority>/pstamp?gpc1/warp/…`.
    public var authority: String
    /// The URL clients reach the server at (no trailing slash); nil: taken from each request's Host.
    public var publicURL: String?
    public var defaultAccessLevel: Int
    public var title: String
    public var publisher: String
    public var contactName: String
    public var contactEmail: String
    /// The image database serving a dbname (the project table's `dbname`).
    public var images: @Sendable (String) -> (any ImageDatabase)?
    /// The site's DATAPATH (`path://NAME/…` roots), to read the images' files.
    public var datapath: [String: String]
    /// The longest a synchronous cut-out waits for its request.
    public var syncLimit: Double
    /// The most cut-outs one SODA request may make.
    public var maxCuts: Int
    public var upSince: MetadataTime

    public init(
        authority: String = "pstamp.local", publicURL: String? = nil, defaultAccessLevel: Int = 0,
        title: String = "PStamp postage stamps", publisher: String = "PStamp site", contactName: String = "site operator",
        contactEmail: String = "operator@pstamp.local", datapath: [String: String] = [:], syncLimit: Double = 600, maxCuts: Int = 200,
        images: @escaping @Sendable (String) -> (any ImageDatabase)?
    ) {
        self.authority = authority
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.defaultAccessLevel = defaultAccessLevel
        self.title = title
        self.publisher = publisher
        self.contactName = contactName
        self.contactEmail = contactEmail
        self.datapath = datapath
        self.syncLimit = syncLimit
        self.maxCuts = maxCuts
        self.upSince = MetadataTime(Date())
        self.images = images
    }

    /// The address a VO sender's requests carry as EMAIL: a logged-in user's own, else an anonymous
    /// address of the site, which gets the default level (an EMAIL would be a claim no VO client makes).
    func address(of identity: RequestIdentity) -> String { identity.user ?? "anonymous@\(authority)" }

    /// The image databases of the projects the request database knows, with their project names.
    func projectDatabases(_ database: RequestDatabase) throws -> [(project: String, images: any ImageDatabase)] {
        try database.projects.list().compactMap { p in
            guard let name = p.name, let db = images(p.dbname ?? name) else { return nil }
            return (name, db)
        }
    }

    /// The image database of one project, nil when the site has none.
    func images(project: String, _ database: RequestDatabase) throws -> (any ImageDatabase)? {
        try projectDatabases(database).first { $0.project == project }?.images
    }
}
