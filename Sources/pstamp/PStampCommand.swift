import ArgumentParser

/// `pstamp`: the server and the user's tools. Each subcommand lives in its own file.
@main
struct PStampCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pstamp",
        abstract: "PStamp: a postage-stamp server for survey telescopes (IPP compatible).",
        subcommands: [
            // Subcommands are added here, one file each.
            CutoutCommand.self,
            ServeCommand.self,
            CheckSiteCommand.self,
            DataStoreCommand.self,
            FetchCommand.self,
            FixturesCommand.self,
            SubmitCommand.self,
            RequestFileCommand.self,
        ]
    )
}
