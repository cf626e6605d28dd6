import Foundation
import GRDB
import PStampCore

extension DSProduct {
    init(row: Row) {
        self.init(
            prodID: row["prod_id"], name: row["prod_name"], lastUpdate: row["last_update"], lastFileset: row["last_fs"],
            type: row["type"], description: row["description"], columnLabels: (0..<8).map { row["prod_col_\($0)"] })
    }
}

extension DSFileset {
    init(row: Row) {
        self.init(
            filesetID: row["fileset_id"], prodID: row["prod_id"], name: row["fileset_name"], registered: row["reg_time"],
            hidden: (row["hide"] as Int64? ?? 0) != 0, type: row["type"], values: (0..<8).map { row["prod_col_\($0)"] })
    }
}

extension DSFile {
    init(row: Row) {
        self.init(
            fileID: row["file_id"], filesetID: row["fileset_id"], name: row["file_name"], bytes: row["bytes"],
            md5: row["md5sum"], type: row["type"], values: (0..<8).map { row["type_col_\($0)"] })
    }
}
