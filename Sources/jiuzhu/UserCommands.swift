import ArgumentParser
import Foundation
import JiuzhuCore
import JiuzhuStore
import JiuzhuWeb

/// `jiuzhu user add|list`: the platform's users.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Add or list users (each with a role and a division).", subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user; the password is read from standard input (one line, at least 10 characters).")
        @OptionGroup var db: DatabaseOptions
        @Option(help: "Letters, digits, '.', '_' or '-'.") var username: String
        @Option(help: "county_admin, county_officer, township_officer, village_assistant, department_liaison, social_worker or auditor.") var role: String
        @Option(help: "The division the user works in: a county (6 digits) or a township or village code.") var division: String
        @Option(help: "For a department_liaison: the department.") var department: String?

        func validate() throws {
            guard Role(rawValue: role) != nil else {
                throw ValidationError("--role: must be one of " + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            do { _ = try DivisionCode(division) } catch { throw ValidationError("--division: \(error.description)") }
        }

        func run() async throws {
            try await reporting {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw CommandFailure("the password: give it on standard input")
                }
                let user = UserAccount(username: username, role: Role(rawValue: role)!, division: try DivisionCode(division), department: department)
                let added = try await db.withRuntime { runtime in
                    try await Accounts(db: runtime.db, hasher: BcryptHasher()).add(user, password: line, by: nil, actor: .commandLine())
                }
                print("added \(added.username): \(added.role.chineseName), \(Divisions.bundled.fullName(added.division))")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users, one a line.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            try await reporting {
                let users = try await db.withRuntime { runtime in
                    try await Accounts(db: runtime.db, hasher: BcryptHasher()).users(in: .everywhere)
                }
                for u in users {
                    print([u.username, u.role.rawValue, u.division.digits, u.department ?? "", u.active ? "active" : "disabled"].joined(separator: "\t"))
                }
            }
        }
    }
}
