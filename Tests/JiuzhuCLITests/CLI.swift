import Foundation
import JiuzhuStore
import JiuzhuTestSupport

/// The `jiuzhu` binary built beside the test bundle, run as a user runs it.
enum CLI {
    static var binary: URL {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("jiuzhu")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return here.appendingPathComponent("jiuzhu")
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `jiuzhu args…` with `input` on stdin and waits for it.
    static func run(_ args: [String], input: String = "", environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["JIUZHU_DATABASE_URL"] = nil
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data(input.utf8))
        try inPipe.fileHandleForWriting.close()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        let out = Box(), err = Box()
        let group = DispatchGroup()
        group.enter(); DispatchQueue.global().async { out.data = outPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter(); DispatchQueue.global().async { err.data = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        p.waitUntilExit()
        group.wait()
        return Result(status: p.terminationStatus, stdout: String(decoding: out.data, as: UTF8.self),
                      stderr: String(decoding: err.data, as: UTF8.self))
    }

    final class Box: @unchecked Sendable { var data = Data() }

    /// A fresh temporary folder.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("jiuzhu-cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The `--database` argument for a test database location.
func databaseArgument(_ location: DatabaseLocation) -> String {
    switch location {
    case .sqlite(let path): return path
    case .postgres(let url): return url
    case .sqliteInMemory(let name): return name
    }
}
