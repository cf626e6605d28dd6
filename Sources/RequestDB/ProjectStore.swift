import GRDB
import PStampCore

/// A row of `pstampProject`: the PROJECT of request rows and the image database it names.
public struct ProjectRecord: Sendable, Hashable, FetchableRecord {
    public var projID: Int64
    public var name: String?
    public var state: String?
    /// The image database (e.g. gpc1).
    public var dbname: String?
    public var dvodb: String?
    public var camera: String?
    public var telescope: String?
    public var needMagic: Bool?

    public init(row: Row) throws {
        projID = row["proj_id"]
        name = row["name"]
        state = row["state"]
        dbname = row["dbname"]
        dvodb = row["dvodb"]
        camera = row["camera"]
        telescope = row["telescope"]
        needMagic = row["need_magic"]
    }

    public var metadataRow: MetadataRow {
        MetadataRow([
            MetadataItem("proj_id", .s64(projID)),
            MetadataItem("name", .str(name)),
            MetadataItem("state", .str(state)),
            MetadataItem("dbname", .str(dbname)),
            MetadataItem("dvodb", .str(dvodb)),
            MetadataItem("camera", .str(camera)),
            MetadataItem("telescope", .str(telescope)),
            MetadataItem("need_magic", .bool(needMagic)),
        ])
    }

    static let columns =
        "pstampProject.proj_id, pstampProject.name, pstampProject.state, pstampProject.dbname, "
        + "pstampProject.dvodb, pstampProject.camera, pstampProject.telescope, pstampProject.need_magic"
}

/// `pstampProject`.
public struct ProjectStore: Sendable {
    let writer: any DatabaseWriter
    public init(_ writer: any DatabaseWriter) { self.writer = writer }

    /// `-addproject`; returns the new proj_id.
    public func add(
        name: String, state: String = "enabled", imagedb: String, dvodb: String? = nil, camera: String,
        telescope: String, needMagic: Bool = false
    ) throws -> Int64 {
        try writer.immediateTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO pstampProject (name, state, dbname, dvodb, camera, telescope, need_magic)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [name, state, imagedb, nonEmpty(dvodb), camera, telescope, needMagic])
            return db.lastInsertedRowID
        }
    }

    /// `-project`: all projects, or the one named.
    public func list(name: String? = nil) throws -> [ProjectRecord] {
        var c = SQLConditions()
        c.add("name", "=", name)
        return try writer.read { db in
            try ProjectRecord.fetchAll(
                db, sql: "SELECT \(ProjectRecord.columns) FROM pstampProject WHERE \(c.sql) ORDER BY proj_id",
                arguments: c.arguments)
        }
    }

    /// `-modproject`: changes the state of one project.
    public func modify(projID: Int64, state: String) throws {
        try writer.immediateTransaction { db in
            try db.execute(sql: "UPDATE pstampProject SET state = ? WHERE proj_id = ?", arguments: [state, projID])
            guard db.changesCount == 1 else {
                throw RowCountError("should have affected one row but \(db.changesCount) rows were modified")
            }
        }
    }
}
