import Foundation
import JiuzhuCore
import Vapor

/// The OpenAPI 3.0 description of the JSON API, served at `/openapi.json`.
/// A test checks that its operations are exactly the routes the app registers.
enum OpenAPIDocument {
    static func handle(req: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: json))
        response.headers.contentType = .json
        return response
    }

    static let json: Data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])

    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    static func int(_ d: String, minimum: Int = 0, maximum: Int? = nil) -> [String: Any] {
        var s: [String: Any] = ["type": "integer", "format": "int64", "minimum": minimum, "description": d]
        if let maximum { s["maximum"] = maximum }
        return s
    }
    static func str(_ d: String, pattern: String? = nil, enum values: [String]? = nil) -> [String: Any] {
        var s: [String: Any] = ["type": "string", "description": d]
        if let pattern { s["pattern"] = pattern }
        if let values { s["enum"] = values }
        return s
    }
    static func bool(_ d: String) -> [String: Any] { ["type": "boolean", "description": d] }
    static func json(_ schema: [String: Any], _ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": schema]]]
    }
    static var errors: [String: Any] { [
        "400": json(ref("Error"), "The body is not JSON"),
        "401": json(ref("Error"), "Not signed in, or the session has ended"),
        "403": json(ref("Error"), "The signed-in user's role may not do this"),
        "404": json(ref("Error"), "Not found (or outside the caller's jurisdiction)"),
        "422": json(ref("Error"), "A field breaks a rule; `problems` names each field and rule"),
    ] }
    static func responses(_ ok: [String: Any]) -> [String: Any] { errors.merging(ok) { $1 } }
    static func pathParam(_ name: String, _ d: String) -> [String: Any] {
        ["name": name, "in": "path", "required": true, "schema": ["type": "string"], "description": d]
    }
    static func queryParam(_ name: String, _ d: String, integer: Bool = false) -> [String: Any] {
        ["name": name, "in": "query", "required": false, "schema": ["type": integer ? "integer" : "string"], "description": d]
    }

    static var householdFields: [String: Any] { [
        "household_id": ["type": "string", "minLength": 1, "maxLength": 64, "description": "The household's key"],
        "division_code": str("Where the household lives: 6-digit county, 9-digit township or 12-digit village code (MCA)", pattern: "^([0-9]{6}|[0-9]{9}|[0-9]{12})$"),
        "hukou_type": str("城镇 urban or 农村 rural", enum: ["urban", "rural"]),
        "deposits_fen": int("Monetised financial assets of the household, fen"),
        "vehicles_value_fen": int("Market value of members' motor vehicles, fen"),
        "disability_vehicle": bool("The vehicle is a mobility aid (代步车辆)"),
        "houses": int("Residential properties owned by members"),
        "business_registered": bool("A member holds a business registration"),
    ] }
    static let householdRequired = ["household_id", "division_code", "hukou_type", "deposits_fen", "vehicles_value_fen",
                                    "disability_vehicle", "houses", "business_registered"]

    static var casePaths: [String: Any] { [
            "/api/v1/cases": [
                "post": [
                    "operationId": "receiveApplication",
                    "summary": "Receive an application at the township window: the household's comprehensive assessment, the materials checklist, the one-time notice of what is missing, and the opening deadlines",
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("Intake")]]],
                    "responses": responses(["201": json(ref("CaseView"), "The case as filed"),
                                            "403": json(ref("Error"), "The role does not receive applications")]),
                ],
                "get": [
                    "operationId": "listCases", "summary": "The cases in the user's division, earliest deadline first",
                    "parameters": [
                        queryParam("state", "Only cases in this state"),
                        queryParam("due_by", "Only cases with an open deadline on or before this day (YYYY-MM-DD)"),
                        queryParam("household_id", "Only this household's cases"),
                    ],
                    "responses": responses(["200": json(["type": "array", "items": ref("CaseSummary")], "The cases")]),
                ],
            ],
            "/api/v1/cases/{number}": [
                "parameters": [pathParam("number", "The case number, county-year-sequence")],
                "get": ["operationId": "getCase", "summary": "The case file with its deadlines (open, due soon, overdue, met), the one-time notice, the actions this user may take now and the timeline (the read is audited)",
                        "responses": responses(["200": json(ref("CaseView"), "The case")])],
            ],
            "/api/v1/cases/{number}/actions": [
                "parameters": [pathParam("number", "The case number")],
                "post": [
                    "operationId": "actOnCase",
                    "summary": "Take one step of the procedure, if the case is still at the version the caller saw",
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("CaseAction")]]],
                    "responses": responses(["200": json(ref("CaseView"), "The case after the step"),
                                            "409": json(ref("Error"), "The step is not possible in this state, or the case changed since the caller loaded it"),
                                            "403": json(ref("Error"), "The role may not take this step")]),
                ],
            ],
    ] }

    static var payrollPaths: [String: Any] {
        let roll: [[String: Any]] = [pathParam("county", "The county code, 6 digits"), pathParam("month", "The roll's month, YYYY-MM")]
        let obj: [String: Any] = ["type": "object"]
        return [
            "/api/v1/recipients": [
                "post": ["operationId": "importRecipients",
                         "summary": "Migrate the county's current caseload (recipients.csv, docs/PAYMENTS.md): all lines or none, each checked against the registry and re-evaluated under its pack (differences reported, imported amounts stand); the same file again changes nothing (200). County officers and administrators",
                         "parameters": [["name": "from", "in": "query", "required": true, "schema": ["type": "string"], "description": "The first month Jiuzhu pays, YYYY-MM"],
                                        queryParam("file_name", "The file's name, for the record")],
                         "requestBody": ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]],
                         "responses": responses(["201": json(obj, "lines, owed_from, differences, not_evaluated"), "200": json(obj, "Already imported")])],
            ],
            "/api/v1/payroll/{county}/{month}": [
                "parameters": roll,
                "get": ["operationId": "readRoll", "summary": "The roll: its state, totals by township and programme (reconciled to the fen) and, with lines=true, every line. County officers, administrators and auditors",
                        "parameters": [queryParam("lines", "true: every line")],
                        "responses": responses(["200": json(obj, "run, totals, lines")])],
            ],
            "/api/v1/payroll/{county}/{month}/generate": [
                "parameters": roll,
                "post": ["operationId": "generateRoll", "summary": "Generate the roll from the entitlements (a draft again whole; a confirmed roll: 409). Regular lines, arrears, reissues, price subsidy; held and overpaid reported",
                         "responses": responses(["200": json(obj, "run, totals, held, overpaid"), "409": json(ref("Error"), "The roll is confirmed")])],
            ],
            "/api/v1/payroll/{county}/{month}/confirm": [
                "parameters": roll,
                "post": ["operationId": "confirmRoll", "summary": "Confirm the roll: it is not generated again", "responses": responses(["200": json(obj, "The roll")])],
            ],
            "/api/v1/payroll/{county}/{month}/export": [
                "parameters": roll,
                "post": ["operationId": "exportRoll", "summary": "The bank file of a confirmed roll (the same bytes every time); the roll is marked exported",
                         "parameters": [queryParam("format", "csv (default) or xlsx"), queryParam("columns", "The county's columns, comma-separated")],
                         "responses": responses(["200": ["description": "The file", "content": ["text/csv": ["schema": ["type": "string"]],
                                                                                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["schema": ["type": "string", "format": "binary"]]]],
                                                 "409": json(ref("Error"), "The roll is not confirmed")])],
            ],
            "/api/v1/payroll/{county}/{month}/answer": [
                "parameters": roll,
                "post": ["operationId": "answerRoll", "summary": "The bank's answer to an exported roll: the returned payments as CSV (household_id,payee_id_number,bank_account,programme,month,amount_fen,reason; empty body: all paid); an unknown payment refuses it whole",
                         "requestBody": ["required": false, "content": ["text/csv": ["schema": ["type": "string"]]]],
                         "responses": responses(["200": json(obj, "paid, returned")])],
            ],
            "/api/v1/payroll/{county}/{month}/price-index": [
                "parameters": roll,
                "post": ["operationId": "recordPriceIndices", "summary": "The month's CPI and food-CPI year-on-year rises (0–100%); the next month's roll adds the price subsidy when they trigger it",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["cpi", "food_cpi"],
                                                                                                      "properties": ["cpi": str("e.g. 3.6%"), "food_cpi": str("e.g. 6.5%")]]]]],
                         "responses": responses(["204": ["description": "Recorded"]])],
            ],
            "/api/v1/reviews/unreported": [
                "post": ["operationId": "recordUnreportedChange",
                         "summary": "A change the household did not report: the amount from the change on (0: stop), the overpayment reckoned from the rolls, criticism beyond the pack's months, recovery and a fine range for fraud; the notice",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["county", "household_id", "programme", "changed_in", "amount_fen"],
                                                                                                      "properties": ["county": str("The county code"), "household_id": str("The household"), "programme": str("dibao, tekun, …"),
                                                                                                                     "changed_in": str("YYYY-MM"), "amount_fen": int("Owed a month since the change (0: not eligible)"),
                                                                                                                     "fraud": bool("虚报、隐瞒、伪造"), "on": str("YYYY-MM-DD")]]]]],
                         "responses": responses(["200": json(obj, "review, months_unreported, criticised, overpaid_fen, fine_from_fen, fine_to_fen")])],
            ],
            "/api/v1/hotline": [
                "get": ["operationId": "listHotlineTickets", "summary": "The county's 12349 tickets by due day (a township officer: those routed to their township); overdue=true: the open ones past due",
                        "parameters": [queryParam("overdue", "true: only the open tickets past their due day")],
                        "responses": responses(["200": json(["type": "array", "items": obj], "The tickets")])],
                "post": ["operationId": "receiveHotlineCall", "summary": "A 12349 call received as a ticket, routed to a township or a department, due in the pack's working days by kind; a fraud report opens an investigation on the household",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["kind", "caller", "description", "routed_to"],
                                                                                                      "properties": ["kind": str("enquiry, help, complaint or fraud"), "caller": str("Who called (匿名)"),
                                                                                                                     "phone": str("Phone"), "household_id": str("Required for fraud"),
                                                                                                                     "description": str("What it is about"), "routed_to": str("A township code or a department"),
                                                                                                                     "on": str("YYYY-MM-DD")]]]]],
                         "responses": responses(["201": json(obj, "The ticket, with its number and due day")])],
            ],
            "/api/v1/hotline/report": [
                "get": ["operationId": "hotlineReport", "summary": "A month's tickets due, closed on time or late, open, and the on-time rate",
                        "parameters": [["name": "month", "in": "query", "required": true, "schema": ["type": "string"], "description": "YYYY-MM"]],
                        "responses": responses(["200": json(obj, "The month's figures")])],
            ],
            "/api/v1/hotline/{number}/close": [
                "parameters": [pathParam("number", "The ticket's number")],
                "post": ["operationId": "closeHotlineTicket", "summary": "Close a ticket with its resolution",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["resolution"],
                                                                                                      "properties": ["resolution": str("How it was answered"), "on": str("YYYY-MM-DD")]]]]],
                         "responses": responses(["200": json(obj, "The ticket"), "409": json(ref("Error"), "Already closed")])],
            ],
            "/api/v1/monitoring/pushes": [
                "post": ["operationId": "receiveMonitoringPush",
                         "summary": "Receive a department's monitoring push (docs/feeds/: monitored_households, disability, medical_costs, serious_illness, unemployment, housing_assistance, chronic_illness, vocational_students, disaster_housing) as the body: whole or not at all; one warning a person signalled and not already under warning, due at the county in the pack's working days; the same file again changes nothing (200). County officers",
                         "parameters": [
                            ["name": "department", "in": "query", "required": true, "schema": ["type": "string"], "description": "The sending department, e.g. 医保"],
                            queryParam("type", "initial (the year's initial data) or monthly (default)"), queryParam("received_on", "The day the city received it, YYYY-MM-DD (default: today)"),
                            queryParam("file_name", "The file's name, for the record"), queryParam("encoding", "utf-8 or gbk (default: detected)"),
                         ],
                         "requestBody": ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]],
                         "responses": responses(["201": json(obj, "push (rows, signalled, warnings, already_open, below_threshold, outside), repeated, warnings_by_group"),
                                                 "200": json(obj, "Already received: nothing applied again")])],
                "get": ["operationId": "listMonitoringPushes", "summary": "The pushes received in the user's jurisdiction, newest first",
                        "responses": responses(["200": json(["type": "array", "items": obj], "The pushes")])],
            ],
            "/api/v1/monitoring/warnings": [
                "get": ["operationId": "listWarnings", "summary": "The warnings of the user's jurisdiction (a county: sent to it; a township: dispatched to it), oldest first; overdue=true: those whose step is past due",
                        "parameters": [queryParam("state", "received, at_county, at_township, visited, watch or closed"), queryParam("overdue", "true: only the overdue")],
                        "responses": responses(["200": json(["type": "array", "items": obj], "The warnings, each with its steps' days and due days")])],
            ],
            "/api/v1/monitoring/warnings/{id}": [
                "parameters": [pathParam("id", "The warning's number")],
                "get": ["operationId": "getWarning", "summary": "A warning with its visits and escalations", "responses": responses(["200": json(obj, "warning, visits, escalations")])],
            ],
            "/api/v1/monitoring/warnings/{id}/{step}": [
                "parameters": [pathParam("id", "The warning's number"), pathParam("step", "send (the city to the county), dispatch (to a township), visit, classify or revisit")],
                "post": ["operationId": "stepWarning",
                         "summary": "One step of the chain, in order (a step out of order is refused with the reason, 409): send and dispatch by the county; visit, classify (dibao or tekun: the application opened, prefilled, in the same transaction; temporary; referral: a specialised programme's department; watch: the ledger) and revisit by the township",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object",
                                                                                                      "properties": ["on": str("YYYY-MM-DD (default: today)"), "version": int("The version loaded (optional)"),
                                                                                                                     "county": str("send: another county to route it to"), "township": str("dispatch: default the household's"),
                                                                                                                     "visitor": str("visit, revisit"), "findings": str("visit, revisit"),
                                                                                                                     "outcome": str("classify: dibao, tekun, temporary, referral or watch"), "programme": str("referral: the programme"),
                                                                                                                     "kind": str("temporary: emergency or expenditure"), "cause": str("temporary"), "people": int("temporary"),
                                                                                                                     "need_fen": int("temporary"), "per_capita_income_fen": int("temporary, expenditure")]]]]],
                         "responses": responses(["200": json(obj, "The warning after the step"), "409": json(ref("Error"), "Out of order, or changed since loaded")])],
            ],
            "/api/v1/monitoring/discoveries": [
                "post": ["operationId": "discoverPerson", "summary": "A person found by hand: village_visit or hardship_ledger (starts at the township, visit within 10 working days), crowdfunding (starts at the county)",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["source", "id_number", "name", "division", "description"],
                                                                                                      "properties": ["source": str("village_visit, hardship_ledger or crowdfunding"), "id_number": str("ID number"),
                                                                                                                     "name": str("Name"), "division": str("Township (or county for crowdfunding)"),
                                                                                                                     "description": str("What was found"), "on": str("YYYY-MM-DD")]]]]],
                         "responses": responses(["201": json(obj, "The warning"), "409": json(ref("Error"), "Already under warning")])],
            ],
            "/api/v1/monitoring/escalate": [
                "post": ["operationId": "escalateOverdue", "summary": "Escalate today's overdue warning steps to the level above and the county's overdue hotline tickets to the county, once each. County officers",
                         "responses": responses(["200": json(obj, "warnings (escalations made now), tickets")])],
            ],
            "/api/v1/monitoring/report": [
                "get": ["operationId": "monitoringReport", "summary": "The month's monitoring report: pushes, warnings by group and source, each step's deadlines kept, townships, outcomes, watch ledger, escalations, the hotline; format=xlsx for the spreadsheet",
                        "parameters": [["name": "month", "in": "query", "required": true, "schema": ["type": "string"], "description": "YYYY-MM"], queryParam("format", "xlsx for the spreadsheet")],
                        "responses": responses(["200": json(obj, "The report")])],
            ],
            "/api/v1/monitoring/annual": [
                "get": ["operationId": "annualWorkReport", "summary": "The annual work report of a year (due to the city by 15 January): month by month and in total; format=xlsx for the spreadsheet",
                        "parameters": [["name": "year", "in": "query", "required": true, "schema": ["type": "integer"], "description": "YYYY"], queryParam("format", "xlsx for the spreadsheet")],
                        "responses": responses(["200": json(obj, "The report")])],
            ],
            "/api/v1/emergencies": [
                "get": ["operationId": "listEmergencies", "summary": "The emergencies declared in the user's county", "responses": responses(["200": json(["type": "array", "items": obj], "The emergencies")])],
                "post": ["operationId": "declareEmergency",
                         "summary": "Declare a public emergency in the user's county: divisions, months, the raise of the standards, a bulk subsidy per person in one month; the rolls of those months pay them",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["name", "divisions", "from", "to"],
                                                                                                      "properties": ["name": str("Its name"), "divisions": ["type": "array", "items": ["type": "string"]],
                                                                                                                     "from": str("YYYY-MM"), "to": str("YYYY-MM"), "raise": str("e.g. 10%"),
                                                                                                                     "subsidy_per_person_fen": int("Fen per person"), "subsidy_month": str("YYYY-MM")]]]]],
                         "responses": responses(["201": json(obj, "The emergency")])],
            ],
            "/api/v1/funerals": [
                "post": ["operationId": "recordFuneral", "summary": "Funeral assistance for a member of a 低保 or 特困 household who died: waiver, or a one-off subsidy paid by the roll",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["household_id", "deceased_id_number", "choice"],
                                                                                                      "properties": ["household_id": str("The household"), "deceased_id_number": str("The member who died"),
                                                                                                                     "choice": str("waiver or subsidy"), "amount_fen": int("The subsidy, fen"), "on": str("YYYY-MM-DD")]]]]],
                         "responses": responses(["201": json(obj, "The assistance and its notice"), "409": json(ref("Error"), "Already recorded for this person")])],
            ],
            "/api/v1/reserve/{township}": [
                "parameters": [pathParam("township", "The township code, 9 digits")],
                "get": ["operationId": "reserveStatement", "summary": "The township's reserve fund for a year: the pack's allocation, top-ups, payouts (each with its case), balance",
                        "parameters": [queryParam("year", "The year (default: this year)", integer: true)],
                        "responses": responses(["200": json(obj, "allocation_fen, entries, top_ups_fen, payouts_fen, balance_fen")])],
            ],
            "/api/v1/reserve/{township}/top-ups": [
                "parameters": [pathParam("township", "The township code, 9 digits")],
                "post": ["operationId": "topUpReserve", "summary": "The county's top-up of a township's fund. County officers and administrators",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["amount_fen"],
                                                                                                      "properties": ["amount_fen": int("Fen, above 0"), "note": str("What it is"), "on": str("YYYY-MM-DD")]]]]],
                         "responses": responses(["200": json(obj, "The statement after it")])],
            ],
            "/api/v1/reviews": [
                "get": ["operationId": "reviewsDue", "summary": "The reviews due in the user's division by a day: on schedule, and within three months of a reported death. County and township officers",
                        "parameters": [["name": "county", "in": "query", "required": true, "schema": ["type": "string"], "description": "The county code"],
                                       queryParam("by", "YYYY-MM-DD (default: today)")],
                        "responses": responses(["200": json(["type": "array", "items": obj], "The reviews due")])],
                "post": ["operationId": "recordReview", "summary": "A review's outcome (continue, change, gradual_exit, stop) and the notice for the household. County officers and administrators",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["county", "household_id", "programme", "outcome"],
                                                                                                      "properties": ["county": str("The county code"), "household_id": str("The household"),
                                                                                                                     "programme": str("dibao, tekun, …"), "outcome": str("continue, change, gradual_exit or stop"),
                                                                                                                     "amount_fen": int("The new monthly amount (change)"), "reason": str("Required for change and stop"),
                                                                                                                     "on": str("YYYY-MM-DD (default: today)")]]]]],
                         "responses": responses(["200": json(obj, "outcome, next_review, last_month, amount_fen, notice")])],
            ],
        ]
    }

    static var feedPaths: [String: Any] { [
            "/api/v1/feeds": [
                "post": ["operationId": "importFeed",
                         "summary": "Import a department's feed (docs/feeds/): the CSV file as the body (UTF-8 or GBK); whole or not at all; the same file again changes nothing (200 instead of 201). County officers only",
                         "parameters": [
                            ["name": "department", "in": "query", "required": true, "schema": ["type": "string"], "description": "The sending department, e.g. 人社"],
                            ["name": "as_of", "in": "query", "required": true, "schema": ["type": "string"], "description": "The day the data describes, YYYY-MM-DD"],
                            queryParam("file_name", "The file's name, for the record"), queryParam("encoding", "utf-8 or gbk (default: detected)"),
                         ],
                         "requestBody": ["required": true, "content": ["text/csv": ["schema": ["type": "string"]]]],
                         "responses": responses(["201": json(["type": "object", "description": "record (provenance, rows, matched, unknown, flags), repeated, flags_by_severity"], "Imported"),
                                                 "200": json(["type": "object"], "Already imported: nothing applied again")])],
                "get": ["operationId": "listFeedImports",
                        "summary": "The feed imports of the user's jurisdiction, newest first: kind, department, as-of day, file, SHA-256, encoding, rows, matched, unknown people, flags, when and by whom. County officers, administrators and auditors",
                        "responses": responses(["200": json(["type": "array", "items": ref("FeedImport")], "The imports")])],
            ],
            "/api/v1/flags": [
                "get": ["operationId": "listFlags", "summary": "Open flags in the user's division, with their evidence",
                        "parameters": [queryParam("household_id", "Only this household's")],
                        "responses": responses(["200": json(["type": "array", "items": ["type": "object"]], "The flags")])],
            ],
            "/api/v1/verification": [
                "get": ["operationId": "verificationWorklist",
                        "summary": "The re-evaluation worklist of a month: flagged households as registered and with the department data taken as true. County officers and administrators; a township officer sees their township",
                        "parameters": [["name": "month", "in": "query", "required": true, "schema": ["type": "string"], "description": "YYYY-MM"]],
                        "responses": responses(["200": json(["type": "array", "items": ["type": "object"]], "The worklist")])],
            ],
            "/api/v1/verification/summary": [
                "get": ["operationId": "monthlyVerification",
                        "summary": "The month's verification of every household: by township (households, recipients, recipients flagged, outcomes), by kind of data (imports, rows, matched, unknown, open flags), and the worklist. County officers and administrators; a township officer sees their township",
                        "parameters": [["name": "month", "in": "query", "required": true, "schema": ["type": "string"], "description": "YYYY-MM"]],
                        "responses": responses(["200": json(["type": "object", "properties": [
                            "month": ["type": "string"], "townships": ["type": "array", "items": ["type": "object"]],
                            "kinds": ["type": "array", "items": ["type": "object"]], "worklist": ["type": "array", "items": ["type": "object"]]]],
                            "The month's verification")])],
            ],
    ] }

    static var temporaryPaths: [String: Any] { [
            "/api/v1/temporary-cases": [
                "post": ["operationId": "receiveTemporaryAssistance",
                         "summary": "Receive a 临时救助 request: where to apply, how often, the income test, the amount, who approves and whether to pay first",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "required": ["household_id", "applicant_id_number", "kind", "place_of_need", "cause", "people", "need_fen"],
                            "properties": ["household_id": ["type": "string"], "applicant_id_number": ["type": "string"],
                                           "kind": str("急难型 or 支出型", enum: ["emergency", "expenditure"]), "place_of_need": str("Division code where the need arose"),
                                           "cause": ["type": "string"], "people": int("People in hardship"), "need_fen": int("The assessed need, fen"),
                                           "per_capita_income_fen": int("Per-capita monthly disposable income, fen")]]]]],
                         "responses": responses(["201": json(ref("TemporaryCaseView"), "The case as filed")])],
            ],
            "/api/v1/temporary-cases/{number}": [
                "parameters": [pathParam("number", "The case number")],
                "get": ["operationId": "getTemporaryCase", "summary": "The 临时救助 case, its deadlines, the actions possible now and the reserve fund left",
                        "responses": responses(["200": json(ref("TemporaryCaseView"), "The case")])],
            ],
            "/api/v1/temporary-cases/{number}/actions": [
                "parameters": [pathParam("number", "The case number")],
                "post": ["operationId": "actOnTemporaryCase",
                         "summary": "pay_relief (amount_fen, from the township reserve), complete_file (on, investigators, findings), approve (amount_fen), committee_decide (on, members, amount_fen, minutes), pay (amount_fen)",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "required": ["action", "version"],
                            "properties": ["action": str("The step", enum: ["pay_relief", "complete_file", "approve", "committee_decide", "pay"]),
                                           "version": int("The version the caller saw"), "amount_fen": int("Amount, fen"), "on": ["type": "string"],
                                           "investigators": ["type": "array", "items": ["type": "string"]], "findings": ["type": "string"],
                                           "members": ["type": "array", "items": ["type": "string"]], "minutes": ["type": "string"]]]]]],
                         "responses": responses(["200": json(ref("TemporaryCaseView"), "The case after the step"),
                                                 "409": json(ref("Error"), "The case changed since the caller loaded it")])],
            ],
    ] }

    static var referralPaths: [String: Any] { [
            "/api/v1/referrals": [
                "get": ["operationId": "listReferrals",
                        "summary": "Referrals to departments in the user's division (a liaison: their department's only), earliest due first, with their status",
                        "parameters": [queryParam("state", "sent, accepted, done or returned")],
                        "responses": responses(["200": json(["type": "array", "items": ref("ReferralView")], "The referrals")])],
            ],
            "/api/v1/referrals/{number}/actions": [
                "parameters": [pathParam("number", "The referral number (case number and sequence)")],
                "post": ["operationId": "actOnReferral", "summary": "The receiving department's liaison accepts, completes (with the outcome) or returns (with the reason) a referral",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "required": ["action", "version"],
                            "properties": ["action": str("The step", enum: ["accept", "complete", "return"]), "version": int("The version the caller saw"),
                                           "outcome": ["type": "string"], "reason": ["type": "string"]]]]]],
                         "responses": responses(["200": json(["type": "object", "description": "The stored referral: number, case_number, department, state, due_on, outcome, version"], "The referral after the step"),
                                                 "409": json(ref("Error"), "The referral changed since the caller loaded it")])],
            ],
    ] }

    static var authPaths: [String: Any] { [
            "/api/v1/auth/login": [
                "post": [
                    "operationId": "signIn", "summary": "Sign in: a token to send as Authorization: Bearer …; locked for 15 minutes after 5 wrong passwords in a row",
                    "security": [] as [Any],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": [
                        "type": "object", "required": ["username", "password"],
                        "properties": ["username": ["type": "string"], "password": ["type": "string"]]]]]],
                    "responses": responses(["200": json(ref("SignedIn"), "Signed in"),
                                            "401": json(ref("Error"), "Wrong username or password"),
                                            "429": json(ref("Error"), "Locked after repeated wrong passwords")]),
                ],
            ],
            "/api/v1/auth/logout": [
                "post": ["operationId": "signOut", "summary": "End this session", "responses": responses(["204": ["description": "Signed out"]])],
            ],
            "/api/v1/auth/me": [
                "get": ["operationId": "whoAmI", "summary": "The signed-in user", "responses": responses(["200": json(ref("User"), "The user")])],
            ],
            "/api/v1/users": [
                "get": ["operationId": "listUsers", "summary": "The users in the administrator's division (county administrators only)",
                        "responses": responses(["200": json(["type": "array", "items": ref("User")], "The users")])],
                "post": ["operationId": "addUser", "summary": "Add a user within the administrator's division",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ref("NewUser")]]],
                         "responses": responses(["201": json(ref("User"), "The new user"), "409": json(ref("Error"), "The username is taken")])],
            ],
            "/api/v1/users/{username}": [
                "parameters": [pathParam("username", "The user")],
                "put": ["operationId": "changeUser", "summary": "Change a user's role, division, department, activity or password (a disabled user or a new password ends their sessions)",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": ref("NewUser")]]],
                        "responses": responses(["200": json(ref("User"), "The user")])],
            ],
    ] }

    static var historyPaths: [String: Any] { [
            "/api/v1/households/{household_id}/history": [
                "parameters": [pathParam("household_id", "The household's key")],
                "get": ["operationId": "getHouseholdHistory",
                        "summary": "Every dated version of the household's facts (registration, change, correction), by the day each took effect; empty until the first change (the read is audited)",
                        "responses": responses(["200": json(["type": "array", "items": ["type": "object", "required": ["effective_from", "kind", "recorded_at", "recorded_by", "record"],
                            "properties": ["effective_from": ["type": "string"], "kind": str("registration, change or correction", enum: ["registration", "change", "correction"]),
                                           "recorded_at": ["type": "string", "format": "date-time"], "recorded_by": ["type": "string"], "record": ref("HouseholdRecord")]]],
                                                        "The versions")])],
            ],
    ] }

    static var circumstancesPaths: [String: Any] { [
            "/api/v1/households/{household_id}/circumstances": [
                "parameters": [pathParam("household_id", "The household's key")],
                "get": [
                    "operationId": "getCircumstances",
                    "summary": "Every dated version of the household's circumstances, oldest first (the read is audited)",
                    "responses": responses(["200": json(["type": "array", "items": ref("CircumstancesVersion")], "The versions")]),
                ],
                "put": [
                    "operationId": "setCircumstances",
                    "summary": "Record the household's circumstances from a month on (replacing a version from the same month); audited",
                    "parameters": [
                        ["name": "from", "in": "query", "required": true, "schema": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"],
                         "description": "The first month they hold, YYYY-MM"],
                    ],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("Circumstances")]]],
                    "responses": responses(["200": json(ref("CircumstancesVersion"), "The recorded version")]),
                ],
            ],
    ] }

    static var caseSchemas: [String: Any] { [
            "TemporaryCaseView": [
                "type": "object", "required": ["file", "deadlines", "actions", "timeline", "reserve_left_fen"],
                "properties": ["file": ["type": "object", "description": "state, intake, decision (eligible, amount_fen, approver, relief_first_hours, staged, steps), payments, approved_fen, committee"],
                               "deadlines": ["type": "array", "items": ["type": "object"]], "actions": ["type": "array", "items": ["type": "string"]],
                               "timeline": ["type": "array", "items": ["type": "object"]], "reserve_left_fen": int("The township reserve fund left this year")],
            ],
            "ReferralView": [
                "type": "object", "required": ["referral", "status"],
                "properties": ["referral": ["type": "object", "description": "number, case_number, household_id, division_code, programme, department, title, reason, state, sent_on, due_on, outcome, version"],
                               "status": str("open, due_soon, overdue or met", enum: ["open", "due_soon", "overdue", "met", "met_late"])],
            ],
            "Intake": [
                "type": "object", "required": ["household_id", "programme", "applicant_id_number"],
                "properties": [
                    "household_id": ["type": "string"], "programme": str("What is applied for: a basic-living programme goes through the procedure; a specialised one is referred to its department",
                                                                         enum: ["dibao", "tekun", "low_income", "medical", "education", "housing", "employment", "disability_living",
                                                                                "disability_care", "orphan", "funeral", "heating", "disaster_relief"]),
                    "applicant_id_number": str("A member of the household"), "proxy": ["type": "string", "description": "Who applies under a written authorisation"],
                    "consent_to_verification": bool("The authorisation for the economic check is signed"),
                    "relative_of_staff": bool("A member is a near relative of assistance staff or a village committee member"),
                    "materials_provided": ["type": "array", "items": ["type": "string"], "description": "Keys of the checklist handed in"],
                ],
            ],
            "CaseSummary": [
                "type": "object", "required": ["number", "household_id", "programme", "state", "version"],
                "properties": ["number": ["type": "string"], "household_id": ["type": "string"], "programme": ["type": "string"],
                               "state": ["type": "string"], "due_on": ["type": "string", "nullable": true], "version": ["type": "integer"]],
            ],
            "CaseView": [
                "type": "object", "required": ["file", "deadlines", "actions", "timeline"],
                "properties": [
                    "file": ["type": "object", "description": "The case file: state, version, applicant, materials, assessment, deadlines, home visits, checks, opinion, public notices, community reviews, decision"],
                    "deadlines": ["type": "array", "items": ["type": "object", "properties": [
                        "deadline": ["type": "object"], "status": str("open, due_soon, overdue, met or met_late", enum: ["open", "due_soon", "overdue", "met", "met_late"])]]],
                    "one_time_notice": ["type": "string", "nullable": true, "description": "一次性告知: every material still missing"],
                    "actions": ["type": "array", "items": ["type": "string"], "description": "The steps this user may take now"],
                    "timeline": ["type": "array", "items": ["type": "object"]],
                ],
            ],
            "CaseAction": [
                "type": "object", "required": ["action", "version"],
                "description": "One step and its fields: record_home_visit (on, investigators, findings), record_check (department, finding, discrepancy), provide_materials (materials), propose (eligible, reason), start_public_notice (from), record_objection (objection), community_review (on, participants, outcome), decide (approve, reasons), notify_refusal (on), withdraw (reason)",
                "properties": [
                    "action": str("The step", enum: ["start_investigation", "record_home_visit", "record_check", "provide_materials", "record_consent", "propose", "start_public_notice", "record_objection", "close_public_notice", "reinvestigate", "community_review", "decide", "notify_refusal", "withdraw"]), "version": int("The case version the caller saw"),
                    "on": ["type": "string"], "investigators": ["type": "array", "items": ["type": "string"]], "findings": ["type": "string"],
                    "department": ["type": "string"], "finding": ["type": "string"], "discrepancy": ["type": "boolean"],
                    "materials": ["type": "array", "items": ["type": "string"]], "eligible": ["type": "boolean"], "reason": ["type": "string"],
                    "from": ["type": "string"], "objection": ["type": "string"], "participants": ["type": "integer"], "outcome": ["type": "string"],
                    "approve": ["type": "boolean"], "reasons": ["type": "string"],
                ],
            ],
    ] }

    static var feedSchemas: [String: Any] { [
            "FeedImport": [
                "type": "object",
                "required": ["kind", "department", "as_of", "file_name", "digest", "encoding", "rows", "matched", "unknown", "flags", "imported_at", "imported_by"],
                "properties": [
                    "kind": str("The feed kind (docs/feeds/)", enum: FeedKind.allCases.map(\.rawValue)),
                    "department": str("The sending department, e.g. 公安"), "as_of": str("The day the data describes", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                    "file_name": str("The file's name as imported"), "digest": str("SHA-256 of the file, hex", pattern: "^[0-9a-f]{64}$"),
                    "encoding": str("How the file was read", enum: ["utf-8", "gb18030", "xlsx"]),
                    "rows": int("Rows read"), "matched": int("Rows of registered members"), "unknown": int("Rows of people the registry does not know (kept as leads)"),
                    "flags": int("Flags raised"), "imported_at": ["type": "string", "format": "date-time"], "imported_by": str("Who imported it, e.g. user:zhang"),
                ],
            ],
    ] }

    static var userSchemas: [String: Any] { [
            "SignedIn": [
                "type": "object", "required": ["token", "expires_at", "user"],
                "properties": ["token": ["type": "string"], "expires_at": ["type": "string", "format": "date-time"], "user": ref("User")],
            ],
            "User": [
                "type": "object", "required": ["username", "role", "role_name", "division_code", "division_name", "active"],
                "properties": [
                    "username": ["type": "string"], "role": str("The role", enum: ["county_admin", "county_officer", "township_officer", "village_assistant", "department_liaison", "social_worker", "auditor"]), "role_name": ["type": "string"],
                    "division_code": ["type": "string"], "division_name": ["type": "string"],
                    "department": ["type": "string", "nullable": true], "active": ["type": "boolean"],
                ],
            ],
            "NewUser": [
                "type": "object", "required": ["username", "role", "division_code"],
                "properties": [
                    "username": ["type": "string"], "role": str("The role", enum: ["county_admin", "county_officer", "township_officer", "village_assistant", "department_liaison", "social_worker", "auditor"]), "division_code": ["type": "string"],
                    "department": ["type": "string", "description": "Required for a department_liaison"],
                    "active": ["type": "boolean"], "password": ["type": "string", "minLength": 10, "description": "Required when adding"],
                ],
            ],
    ] }

    static var circumstancesSchemas: [String: Any] { [
            "Circumstances": [
                "type": "object",
                "description": "Facts beyond Population CSV v1 that the full 低保 and 特困 rules use; every part optional",
                "properties": [
                    "members": ["type": "array", "items": ref("MemberCircumstances")],
                    "previous": [
                        "type": "object", "required": ["programme"],
                        "description": "The benefit before this month, for 渐退期",
                        "properties": [
                            "programme": str("tekun, dibao, dibao_single, low_income or none", enum: ["tekun", "dibao", "dibao_single", "low_income", "none"]),
                            "benefit_fen": int("Monthly amount paid, fen"), "exit_months_paid": int("Gradual-exit months already paid"),
                            "rise_from_work": bool("Income rose because a member found or kept work"),
                        ],
                    ],
                    "disaster": [
                        "type": "object",
                        "properties": [
                            "house": str("Damage to the home", enum: ["none", "damaged", "collapsed"]),
                            "displaced_people": int("Members needing transitional living help"),
                        ],
                    ],
                    "recent_death": bool("A member died in the last three months"),
                ],
            ],
            "MemberCircumstances": [
                "type": "object", "required": ["id_number"],
                "properties": [
                    "id_number": str("A member of the household"),
                    "residence": str("Where the member lives (57号 第七条)", enum: ["home", "studying_away", "prison", "drug_rehab", "missing", "religious_apart", "lives_apart"]),
                    "years_apart": int("Years apart, for religious_apart"),
                    "school": str("Full-time education stage", enum: ["none", "preschool", "primary", "junior", "senior_high", "secondary_vocational", "undergraduate", "postgraduate"]),
                    "incomes": ["type": "array", "description": "Monthly income by kind; replaces monthly_income_fen and employment_income_fen",
                                "items": ["type": "object", "required": ["kind", "fen"],
                                          "properties": ["kind": str("Income kind", enum: ["wage", "business", "property", "support_received", "pension", "basic_pension", "unemployment_benefit", "special_care", "family_planning", "scholarship", "heroism_award", "social_assistance", "elderly_allowance", "insurance_reimbursement", "traffic_accident_relief", "support_for_severe_disability", "other"]), "fen": int("Monthly amount, fen")]]],
                    "rigid_costs": ["type": "array",
                                    "items": ["type": "object", "required": ["kind", "fen"],
                                              "properties": ["kind": str("Cost kind", enum: ["medical", "disability_rehabilitation", "disability_care"]), "fen": int("Monthly amount, fen")]]],
                    "conditions": ["type": "array", "items": str("A recognised condition", enum: ["mdr_tuberculosis", "entitled_group", "orphan", "unsupported_child", "registered_unemployed"])],
                    "supporters": ["type": "array", "description": "Legal supporters; 43号 第八条 decides whether one can support",
                                   "items": ["type": "object", "required": ["age"],
                                             "properties": ["name": ["type": "string"], "age": int("Age", maximum: 150),
                                                            "status": ["type": "array", "items": str("Status", enum: ["tekun", "dibao", "severe_disability", "intellectual_or_mental_grade3", "no_civil_capacity", "missing", "prison"])],
                                                            "income_below_reference": bool("Own income below the previous-year per-capita disposable income"),
                                                            "assets_within_low_income_rule": bool("Assets within the 低收入家庭 rule")]]],
                    "self_care_unable": ["type": "array", "description": "Activities not done unaided (six-item assessment)",
                                         "items": str("Activity", enum: ["eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing"])],
                ],
            ],
            "CircumstancesVersion": [
                "type": "object", "required": ["effective_from", "circumstances", "recorded_at", "recorded_by"],
                "properties": [
                    "effective_from": str("YYYY-MM", pattern: "^[0-9]{4}-[0-9]{2}$"), "circumstances": ref("Circumstances"),
                    "recorded_at": ["type": "string", "format": "date-time"], "recorded_by": ["type": "string"],
                ],
            ],
    ] }

    static var corePaths: [String: Any] { [
            "/health": ["get": [
                "operationId": "health", "summary": "Liveness and database check", "security": [] as [Any],
                "responses": ["200": json(["type": "object", "required": ["status", "database"],
                                           "properties": ["status": ["type": "string"], "database": ["type": "string"]]], "Up")],
            ]],
            "/api/v1/households": [
                "post": [
                    "operationId": "createHousehold", "summary": "Register a household with its members",
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("HouseholdRecord")]]],
                    "responses": responses(["201": json(ref("HouseholdRecord"), "Registered"),
                                            "409": json(ref("Error"), "The household ID or an ID number is already registered")]),
                ],
                "get": [
                    "operationId": "searchHouseholds", "summary": "Search households by ID number, name or division",
                    "parameters": [
                        queryParam("id_number", "A member's ID number (exact)"),
                        queryParam("name", "Part of a member's name"),
                        queryParam("division", "A division code: only households inside it"),
                        queryParam("page", "Page number, from 1", integer: true),
                        queryParam("per_page", "Results per page, 1–200 (default 20)", integer: true),
                    ],
                    "responses": responses(["200": json(ref("RegistryPage"), "Matching households in registration order")]),
                ],
            ],
            "/api/v1/households/{household_id}": [
                "parameters": [pathParam("household_id", "The household's key")],
                "get": [
                    "operationId": "getHousehold", "summary": "A household's file (the read is audited)",
                    "responses": responses(["200": json(ref("HouseholdRecord"), "The household and its members")]),
                ],
                "put": [
                    "operationId": "replaceHousehold", "summary": "Replace a household's facts and member list, dated: the day the change took effect (default today, never later) and whether it is a change of circumstance or a correction",
                    "parameters": [queryParam("effective", "The day the new facts took effect, YYYY-MM-DD (default today)"),
                                   queryParam("kind", "change (default) or correction")],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("HouseholdRecord")]]],
                    "responses": responses(["200": json(ref("HouseholdRecord"), "Changed"),
                                            "409": json(ref("Error"), "An ID number is registered in another household")]),
                ],
            ],
            "/api/v1/households/{household_id}/evaluation": [
                "parameters": [pathParam("household_id", "The household's key")],
                "get": [
                    "operationId": "evaluateHousehold",
                    "summary": "What the household qualifies for in a month, with the steps, figures and parameters (the read is audited)",
                    "parameters": [
                        ["name": "month", "in": "query", "required": true, "schema": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"],
                         "description": "The month, YYYY-MM"],
                        queryParam("policy", "A pack id (reference, or a division code); default: the household's own pack by its division"),
                    ],
                    "responses": responses(["200": json(ref("Evaluation"), "The evaluation")]),
                ],
            ],
            "/api/v1/households/{household_id}/assessment": [
                "parameters": [pathParam("household_id", "The household's key")],
                "get": [
                    "operationId": "assessHousehold",
                    "summary": "The comprehensive assessment: the basic-living evaluation and every specialised programme to refer the household to, with reasons (the read is audited)",
                    "parameters": [
                        ["name": "month", "in": "query", "required": true, "schema": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"],
                         "description": "The month, YYYY-MM"],
                        queryParam("policy", "A pack id (reference, or a division code); default: the household's own pack by its division"),
                    ],
                    "responses": responses(["200": json(ref("Assessment"), "The assessment")]),
                ],
            ],
            "/api/v1/households/{household_id}/members": [
                "parameters": [pathParam("household_id", "The household's key")],
                "post": [
                    "operationId": "addMember", "summary": "Add a member to a household",
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("Member")]]],
                    "responses": responses(["201": json(ref("HouseholdRecord"), "The household with the new member"),
                                            "409": json(ref("Error"), "The ID number is registered in another household")]),
                ],
            ],
            "/api/v1/members/{id_number}": [
                "parameters": [pathParam("id_number", "The member's resident ID number")],
                "get": [
                    "operationId": "getMember", "summary": "One member (the read is audited)",
                    "responses": responses(["200": json(ref("Member"), "The member")]),
                ],
                "put": [
                    "operationId": "updateMember", "summary": "Change a member's facts",
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ref("Member")]]],
                    "responses": responses(["200": json(ref("HouseholdRecord"), "The household after the change"),
                                            "409": json(ref("Error"), "The new ID number is registered in another household")]),
                ],
            ],
        ] }

    static var coreSchemas: [String: Any] { [
            "Member": [
                "type": "object",
                "required": ["id_number", "name", "relation", "disability_grade", "disability_kind", "serious_illness",
                             "veteran_disability_grade", "martyr_family", "demobilized_veteran", "able_to_work",
                             "has_capable_supporter", "care_level", "monthly_income_fen", "employment_income_fen"],
                "properties": [
                    "household_id": ["type": "string", "description": "The household; may be left out inside a household or when the URL names it"],
                    "id_number": str("Resident ID number, GB 11643-1999 (lower-case x accepted)", pattern: "^[0-9]{17}[0-9Xx]$"),
                    "name": ["type": "string", "minLength": 1],
                    "relation": str("Relation to the head", enum: ["head", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other"]),
                    "disability_grade": int("Disability certificate grade, 0 = none, 1 most severe", maximum: 4),
                    "disability_kind": str("Kind of disability; none exactly when the grade is 0",
                                           enum: ["none", "physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple"]),
                    "serious_illness": bool("Recognised serious illness (重病)"),
                    "veteran_disability_grade": int("Disabled veteran grade, 0 = not one", maximum: 10),
                    "martyr_family": bool("Martyr's or serviceman's family (军烈属)"),
                    "demobilized_veteran": bool("Demobilised veteran in the countryside (在乡老复员军人)"),
                    "able_to_work": bool("Has the ability to work"),
                    "has_capable_supporter": bool("Has a legal supporter able to fulfil the duty"),
                    "care_level": str("Self-care assessment", enum: ["self", "semi", "full"]),
                    "monthly_income_fen": int("Counted net monthly income, fen"),
                    "employment_income_fen": int("The part of it earned from work, fen (≤ monthly_income_fen)"),
                ],
            ],
            "Household": ["type": "object", "required": householdRequired, "properties": householdFields],
            "HouseholdRecord": [
                "type": "object",
                "required": householdRequired + ["members"],
                "properties": householdFields.merging(["members": ["type": "array", "minItems": 1, "items": ref("Member")]]) { $1 },
            ],
            "RegistrySummary": [
                "type": "object",
                "required": ["household", "head_name", "head_id_number", "member_count", "division_name"],
                "properties": [
                    "household": ref("Household"), "head_name": ["type": "string"], "head_id_number": ["type": "string"],
                    "member_count": ["type": "integer"], "division_name": ["type": "string"],
                ],
            ],
            "RegistryPage": [
                "type": "object",
                "required": ["items", "total", "page", "per_page"],
                "properties": [
                    "items": ["type": "array", "items": ref("RegistrySummary")],
                    "total": ["type": "integer"], "page": ["type": "integer"], "per_page": ["type": "integer"],
                ],
            ],
            "Evaluation": [
                "type": "object",
                "required": ["household_id", "month", "pack", "programme", "benefit_fen", "figures", "steps"],
                "properties": [
                    "household_id": ["type": "string"], "month": ["type": "string"], "pack": ["type": "string"],
                    "programme": str("The outcome", enum: ["tekun", "dibao", "dibao_single", "low_income", "none"]),
                    "benefit_fen": int("Monthly amount, fen"),
                    "figures": [
                        "type": "object",
                        "properties": [
                            "n": ["type": "integer"], "net_fen": ["type": "integer"], "deduction_fen": ["type": "integer"],
                            "special_members": ["type": "integer"], "uplift_fen": ["type": "integer"],
                            "single_inclusion_members": ["type": "integer"], "asset_test": str("pass or fail", enum: ["pass", "fail"]),
                        ],
                    ],
                    "steps": ["type": "array", "items": ref("Step")],
                ],
            ],
            "Assessment": [
                "type": "object",
                "required": ["evaluation", "referrals"],
                "properties": [
                    "evaluation": ref("Evaluation"),
                    "gradual_exit": [
                        "type": "object", "nullable": true, "description": "渐退期, when the household had 低保 before",
                        "properties": ["continues": ["type": "boolean"], "amount": int("Paid this month, fen"),
                                       "month": ["type": "integer", "nullable": true], "months": ["type": "integer"], "step": ref("Step")],
                    ],
                    "points": [
                        "type": "object", "nullable": true, "description": "低保积分制, where the pack has one",
                        "properties": ["total": ["type": "integer"], "pass_mark": ["type": "integer"], "passed": ["type": "boolean"],
                                       "lines": ["type": "array", "items": ["type": "object"]], "step": ref("Step")],
                    ],
                    "referrals": ["type": "array", "items": ref("Referral")],
                ],
            ],
            "Referral": [
                "type": "object",
                "required": ["programme", "title", "department", "members", "reason", "citation", "to_verify"],
                "properties": [
                    "programme": str("The specialised programme",
                                     enum: ["medical", "education", "housing", "employment", "heating", "disability_living", "disability_care",
                                            "orphan", "funeral", "disaster_transition", "disaster_housing", "disaster_winter_spring"]),
                    "title": ["type": "string"], "department": ["type": "string"],
                    "members": ["type": "array", "items": ["type": "string"]],
                    "reason": ["type": "string"], "citation": ["type": "string"],
                    "to_verify": ["type": "boolean", "description": "The department must check a fact the registry does not hold"],
                    "amount_fen": ["type": "integer", "nullable": true, "description": "The amount the pack gives, fen"],
                    "parameters": ["type": "array", "items": ref("ParameterUse")],
                ],
            ],
            "Step": [
                "type": "object",
                "required": ["key", "title", "detail", "parameters", "citation"],
                "properties": [
                    "key": ["type": "string"], "title": ["type": "string"], "passed": ["type": "boolean", "nullable": true],
                    "detail": ["type": "string"], "citation": ["type": "string"],
                    "parameters": ["type": "array", "items": ref("ParameterUse")],
                ],
            ],
            "ParameterUse": [
                "type": "object",
                "required": ["name", "description", "value", "unit", "from", "citation", "provisional"],
                "properties": [
                    "name": ["type": "string"], "description": ["type": "string"], "value": ["type": "string"],
                    "unit": ["type": "string"], "from": ["type": "string", "format": "date"], "citation": ["type": "string"],
                    "provisional": ["type": "boolean"],
                ],
            ],
            "FieldProblem": [
                "type": "object", "required": ["field", "rule"],
                "properties": ["field": ["type": "string"], "rule": ["type": "string"]],
            ],
            "Error": [
                "type": "object", "required": ["error", "message", "problems"],
                "properties": ["error": ["type": "string"], "message": ["type": "string"],
                               "problems": ["type": "array", "items": ref("FieldProblem")]],
            ],
        ] }

    static func merged(_ parts: [String: Any]...) -> [String: Any] {
        parts.reduce(into: [:]) { out, p in out.merge(p) { a, _ in a } }
    }

    static var document: [String: Any] { [
        "openapi": "3.0.3",
        "info": [
            "title": "Jiuzhu 救助 API",
            "version": "1",
            "description": "The household registry of the Jiuzhu social-assistance platform. Money is integer fen. Field names are the columns of Population CSV v1. Sign in at /api/v1/auth/login and send the token as Authorization: Bearer …; every answer is limited to the signed-in user's division (outside it: 404).",
        ],
        "security": [["bearer": [] as [String]]],
        "paths": merged(corePaths, authPaths, circumstancesPaths, historyPaths, casePaths, referralPaths, temporaryPaths, feedPaths, payrollPaths),
        "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": merged(coreSchemas, circumstancesSchemas, userSchemas, caseSchemas, feedSchemas)],
    ] }
}

/// The OpenAPI document of the API, as served at `/openapi.json`.
public enum APIDescription {
    public static var json: Data { OpenAPIDocument.json }
}
