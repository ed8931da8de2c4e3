using Google.Protobuf;
using Grpc.Core;

namespace Watershed.Testing;

/// <summary>
/// The tokens of the matrix's callers (docs/authorization.md, "Callers"): each role of a person for the object's own
/// watershed (<see cref="Watershed"/>) or another one (<see cref="OtherWatershed"/>), service identities, and none.
/// </summary>
/// <param name="Member">The person a member's token names in the own watershed (one on the roll where the service has one).</param>
/// <param name="OtherMember">The person a member of the other watershed is.</param>
public sealed record MatrixCallers(string Watershed, string OtherWatershed, Guid Member, Guid OtherMember)
{
    public string? Token(string caller, bool own)
    {
        var watershed = own ? Watershed : OtherWatershed;
        return caller switch
        {
            // Admins are issued "*"; one naming only another watershed is still an admin here.
            "admin" => TestTokens.Create("admin@test", ["admin"], [own ? "*" : OtherWatershed]),
            "facilitator" or "viewer" or "analyst" => TestTokens.Create($"{caller}@test", [caller], [watershed]),
            "member" => TestTokens.Create($"person:{(own ? Member : OtherMember)}", ["member"], [watershed], own ? Member : OtherMember),
            "no role" => TestTokens.Create("norole@test", [], [watershed]),
            "unknown role" => TestTokens.Create("auditor@test", ["auditor"], [watershed]),
            // As ServiceTokens and the authority issue them: every watershed; "other" is one scoped to another watershed only.
            _ when caller.StartsWith("service:", StringComparison.Ordinal) => TestTokens.Create(caller, ["service"], [own ? "*" : OtherWatershed]),
            AuthorizationMatrix.Anonymous => null,
            _ => throw new ArgumentOutOfRangeException(nameof(caller), caller, "Not a caller of the matrix."),
        };
    }
}

/// <summary>
/// The request each row of a service's matrix is called with, built on the test's seeded data (<typeparamref name="TWorld"/>)
/// of the own watershed. A row's request is built once and sent by every caller, unless the row is <c>fresh</c>: an RPC
/// whose accepted call uses up its object (a delete) gets a new object before each call. A new RPC needs a row in the
/// document and a case here, or the coverage check names it.
/// </summary>
public sealed class AuthorizationMatrixCases<TWorld>
    where TWorld : class
{
    private readonly Dictionary<string, MatrixCase> _cases = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Names => _cases.Keys;

    public AuthorizationMatrixCases<TWorld> Add(string row, Func<TWorld, IMessage> request) =>
        Add(row, w => Task.FromResult(request(w)));

    public AuthorizationMatrixCases<TWorld> Add(string row, Func<TWorld, Task<IMessage>> request, bool fresh = false) =>
        AddStream(row, async w => [await request(w)], fresh);

    /// <summary>A streaming RPC's messages; a unary one's is a single message.</summary>
    public AuthorizationMatrixCases<TWorld> AddStream(string row, Func<TWorld, Task<IReadOnlyList<IMessage>>> requests, bool fresh = false)
    {
        if (!_cases.TryAdd(row, new MatrixCase(w => requests((TWorld)w), fresh)))
        {
            throw new ArgumentException($"Two cases for {row}.", nameof(row));
        }

        return this;
    }

    internal MatrixCase? For(string row) => _cases.GetValueOrDefault(row);

    internal sealed record MatrixCase(Func<object, Task<IReadOnlyList<IMessage>>> Build, bool Fresh);
}

/// <summary>What a run of the matrix found: the figures, and every difference from the document at once.</summary>
public sealed record MatrixReport(int Rows, int Calls, IReadOnlyList<string> Differences)
{
    public void AssertMatches()
    {
        if (Differences.Count > 0)
        {
            throw new Xunit.Sdk.XunitException(
                $"{Differences.Count} difference(s) from docs/authorization.md ({Rows} rows, {Calls} calls):\n" + string.Join("\n", Differences));
        }
    }
}

/// <summary>Drives a service's matrix through its real API: every row, every caller, own and other watershed.</summary>
public static class AuthorizationMatrixCheck
{
    /// <summary>
    /// What does not line up between the document's rows, the gRPC methods the host serves (<paramref name="served"/>,
    /// <c>package.Service/Method</c>) and the test's cases: a served method without a row, a row naming no served
    /// method (or several), a row without a case, a case without a row.
    /// </summary>
    public static IReadOnlyList<string> Coverage(AuthorizationMatrix matrix, IReadOnlyCollection<IMethod> methods, IReadOnlyCollection<string> caseNames)
    {
        var served = methods.Select(FullName).ToList();
        var problems = new List<string>();
        foreach (var method in served.Order(StringComparer.Ordinal))
        {
            if (!matrix.Rows.Any(r => r.Names(method)))
            {
                problems.Add($"{method}: served, but the {matrix.Service} table has no row for it.");
            }
        }

        foreach (var row in matrix.Rows)
        {
            var matches = served.Where(row.Names).ToList();
            if (matches.Count != 1)
            {
                problems.Add(matches.Count == 0
                    ? $"{row.Name}: in the {matrix.Service} table, but the host serves no such method."
                    : $"{row.Name}: names {matches.Count} served methods ({string.Join(", ", matches)}); write the package.");
            }

            if (!caseNames.Contains(row.Name))
            {
                problems.Add($"{row.Name}: in the {matrix.Service} table, but the test has no request for it.");
            }
        }

        foreach (var name in caseNames.Where(n => matrix.Rows.All(r => r.Name != n)))
        {
            problems.Add($"{name}: the test has a request for it, but the {matrix.Service} table has no such row.");
        }

        return problems;
    }

    /// <param name="served">The host's gRPC methods (<see cref="WatershedApp{TProgram}.ServedGrpcMethods"/>).</param>
    /// <param name="invoker">A call invoker sending the given bearer token (none when null).</param>
    /// <param name="snapshot">The service's whole database: refused calls must change nothing in it.</param>
    /// <param name="rows">Only these rows (by name); all when null.</param>
    public static async Task<MatrixReport> RunAsync<TWorld>(
        AuthorizationMatrix matrix,
        AuthorizationMatrixCases<TWorld> cases,
        TWorld world,
        IReadOnlyCollection<IMethod> served,
        MatrixCallers callers,
        Func<string?, CallInvoker> invoker,
        Func<Task<DatabaseSnapshot>> snapshot,
        IReadOnlyCollection<string>? rows = null)
        where TWorld : class
    {
        var differences = new List<string>();
        var invokers = new Dictionary<string, CallInvoker>(StringComparer.Ordinal);
        CallInvoker InvokerFor(string? token) => token is null
            ? invoker(null)
            : invokers.TryGetValue(token, out var cached) ? cached : invokers[token] = invoker(token);

        var checkedRows = 0;
        var calls = 0;
        foreach (var row in matrix.Rows.Where(r => rows is null || rows.Contains(r.Name)))
        {
            var method = served.SingleOrDefault(m => row.Names(FullName(m)));
            var @case = cases.For(row.Name);
            if (method is null || @case is null)
            {
                differences.Add($"{row.Name}: not run (see the coverage check).");
                continue;
            }

            checkedRows++;
            var planned = new List<PlannedCall>();
            var shared = @case.Fresh ? null : await @case.Build(world);
            foreach (var caller in AuthorizationMatrix.Callers)
            {
                foreach (var own in caller == AuthorizationMatrix.Anonymous ? [true] : new[] { true, false })
                {
                    var cell = row.Cells[caller];
                    planned.Add(new PlannedCall(caller, own, own ? cell.Own : cell.Other, shared ?? await @case.Build(world)));
                }
            }

            // Refusals first, between two snapshots: a refused call must change nothing. Then the calls the table allows.
            var before = await snapshot();
            foreach (var call in planned.Where(c => c.Expected != MatrixOutcome.Allowed))
            {
                differences.AddRange(await CheckAsync(row, method, call, InvokerFor(callers.Token(call.Caller, call.Own))));
                calls++;
            }

            var after = await snapshot();
            if (!before.Equals(after))
            {
                differences.Add($"{row.Name}: the refused calls changed {string.Join(", ", before.Differences(after))}.");
            }

            foreach (var call in planned.Where(c => c.Expected == MatrixOutcome.Allowed))
            {
                differences.AddRange(await CheckAsync(row, method, call, InvokerFor(callers.Token(call.Caller, call.Own))));
                calls++;
            }
        }

        return new MatrixReport(checkedRows, calls, differences);
    }

    /// <summary><c>package.Service/Method</c>, as the document's rows name RPCs.</summary>
    public static string FullName(IMethod method) => method.FullName.TrimStart('/');

    private static async Task<IEnumerable<string>> CheckAsync(MatrixRow row, IMethod method, PlannedCall call, CallInvoker invoker)
    {
        var (status, detail) = await CallAsync(invoker, method, call.Requests);
        var actual = status switch
        {
            StatusCode.Unauthenticated => MatrixOutcome.Unauthenticated,
            StatusCode.PermissionDenied => MatrixOutcome.PermissionDenied,
            StatusCode.NotFound => MatrixOutcome.NotFound,
            _ when AuthorizationMatrix.IsPastAuthorisation(status) => MatrixOutcome.Allowed,
            _ => (MatrixOutcome?)null,
        };
        if (actual == call.Expected)
        {
            return [];
        }

        var watershed = call.Caller == AuthorizationMatrix.Anonymous ? string.Empty : call.Own ? " (own watershed)" : " (other watershed)";
        return [$"{row.Name} · {call.Caller}{watershed}: the table says {AuthorizationMatrix.Code(call.Expected)}, the service answered {status}{(detail.Length > 0 ? $" \"{Shorten(detail)}\"" : string.Empty)}."];
    }

    private static string Shorten(string detail) => detail.Length <= 160 ? detail : detail[..160] + "…";

    /// <summary>Calls any method with any request, whatever its streaming; only the status matters, so the answer is not parsed.</summary>
    public static async Task<(StatusCode Status, string Detail)> CallAsync(CallInvoker invoker, IMethod method, IReadOnlyList<IMessage> requests)
    {
        var generic = new Method<IMessage, byte[]>(method.Type, method.ServiceName, method.Name, RequestMarshaller, ResponseMarshaller);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60));
        try
        {
            switch (method.Type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(generic, null, options, requests[0]);
                    break;
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(generic, null, options);
                    await WriteAllAsync(call.RequestStream, requests);
                    await call.ResponseAsync;
                    break;
                }

                case MethodType.ServerStreaming:
                {
                    // Health's Watch streams for ever: its first answer shows the call was let in.
                    using var call = invoker.AsyncServerStreamingCall(generic, null, options, requests[0]);
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                    break;
                }

                case MethodType.DuplexStreaming:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(generic, null, options);
                    await WriteAllAsync(call.RequestStream, requests);
                    await call.ResponseStream.MoveNext(CancellationToken.None);
                    break;
                }
            }

            return (StatusCode.OK, string.Empty);
        }
        catch (RpcException ex)
        {
            return (ex.StatusCode, ex.Status.Detail ?? string.Empty);
        }
    }

    /// <summary>Writes the messages and completes; a server that answered early (refused) ends the call, and its status follows.</summary>
    private static async Task WriteAllAsync(IClientStreamWriter<IMessage> writer, IReadOnlyList<IMessage> requests)
    {
        try
        {
            foreach (var request in requests)
            {
                await writer.WriteAsync(request);
            }

            await writer.CompleteAsync();
        }
        catch (Exception ex) when (ex is RpcException or InvalidOperationException or IOException)
        {
            // The answer (a refusal) came before the requests were all sent; awaiting the response gives its status.
        }
    }

    private static readonly Marshaller<IMessage> RequestMarshaller =
        Marshallers.Create<IMessage>(m => m.ToByteArray(), _ => throw new NotSupportedException("Requests are only sent."));

    private static readonly Marshaller<byte[]> ResponseMarshaller = Marshallers.Create(b => b, b => b);

    private sealed record PlannedCall(string Caller, bool Own, MatrixOutcome Expected, IReadOnlyList<IMessage> Requests);
}

/// <summary>The rows every service's table shares: its dead letters, Dapr's AppCallback and health.</summary>
public static class CommonMatrixRows
{
    public static AuthorizationMatrixCases<T> AddCommonRows<T>(this AuthorizationMatrixCases<T> cases)
        where T : class => cases
        // ListDeadLettersRequest with no field set: the same (empty) bytes as Empty.
        .Add("watershed.events.v1.DeadLetterService/ListDeadLetters", _ => new Google.Protobuf.WellKnownTypes.Empty())
        .Add("AppCallback/OnInvoke", _ => new Dapr.Client.Autogen.Grpc.v1.InvokeRequest { Method = "anything" })
        .Add("AppCallback/ListInputBindings", _ => new Google.Protobuf.WellKnownTypes.Empty())
        .Add("AppCallback/OnBindingEvent", _ => new Dapr.AppCallback.Autogen.Grpc.v1.BindingEventRequest { Name = "matrix" })
        .Add("AppCallback/OnBulkTopicEvent", _ => new Dapr.AppCallback.Autogen.Grpc.v1.TopicEventBulkRequest { Id = "matrix-bulk", Topic = "matrix.nothing.v1", PubsubName = "pubsub" })
        .Add("AppCallback/OnJobEvent", _ => new Dapr.AppCallback.Autogen.Grpc.v1.JobEventRequest { Name = "matrix" })
        .Add("AppCallback/ListTopicSubscriptions", _ => new Google.Protobuf.WellKnownTypes.Empty())
        // A topic no service subscribes to: answered DROP, so an allowed call changes nothing.
        .Add("AppCallback/OnTopicEvent", _ => new Dapr.AppCallback.Autogen.Grpc.v1.TopicEventRequest
        {
            Id = "matrix-event", Topic = "matrix.nothing.v1", PubsubName = "pubsub", Type = "matrix.Nothing", Source = "matrix", SpecVersion = "1.0",
        })
        .Add("grpc.health.v1.Health/Check", _ => new Grpc.Health.V1.HealthCheckRequest())
        .Add("grpc.health.v1.Health/Watch", _ => new Grpc.Health.V1.HealthCheckRequest { Service = "liveness" })
        // Served where Grpc:Reflection is true (the matrix hosts turn it on, as Development does).
        .AddStream("grpc.reflection.v1.ServerReflection/ServerReflectionInfo", _ =>
            Task.FromResult<IReadOnlyList<IMessage>>([new Grpc.Reflection.V1.ServerReflectionRequest { ListServices = string.Empty }]))
        .AddStream("grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", _ =>
            Task.FromResult<IReadOnlyList<IMessage>>([new Grpc.Reflection.V1Alpha.ServerReflectionRequest { ListServices = string.Empty }]));
}
