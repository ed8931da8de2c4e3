using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit;

namespace Watershed.Testing;

/// <summary>
/// One request of the corpus: the RPC (and its seed's label), the field changed, the kind of value put there, and how
/// the request is made from the seed (null when the value cannot be expressed, e.g. a timestamp JSON cannot carry).
/// </summary>
public sealed record HostileCase(MethodDescriptor Rpc, string Seed, string Field, string Kind, Func<IMessage, IMessage?> Make)
{
    public override string ToString() => $"{Rpc.Service.Name}/{Rpc.Name}{(Seed.Length > 0 ? $" ({Seed})" : string.Empty)} {Field} [{Kind}]";
}

/// <summary>
/// The hostile-input corpus of one service: every RPC of its contracts (from their descriptors), each called with a
/// valid seed request and then with that seed changed one field at a time to the hostile values of
/// <see cref="HostileValues"/>, plus the empty request and a body over the 4 MB message limit. Every answer must be a
/// status other than UNKNOWN and INTERNAL (OK where the value is acceptable), with a small message and details, and
/// a call that is not OK must leave every row of the database as it was. One run reports every failing case.
/// An RPC whose valid seed answers UNIMPLEMENTED (a Dapr callback the service does not serve) gets no mutations.
/// </summary>
/// <typeparam name="TContext">What the seeds are built from: the objects a test created (ids of a watershed, a space...).</typeparam>
public sealed class HostileCorpus<TContext>
{
    private readonly List<MethodDescriptor> _rpcs;
    private readonly Dictionary<MethodDescriptor, List<SeedEntry>> _seeds = [];
    private readonly Dictionary<MethodDescriptor, Func<HostileCase, IMessage, string?>> _checks = [];

    public HostileCorpus(params ServiceDescriptor[] services)
    {
        _rpcs = [.. services.SelectMany(s => s.Methods)];
    }

    /// <summary>Every RPC of the services, in contract order.</summary>
    public IReadOnlyList<MethodDescriptor> Rpcs => _rpcs;

    /// <summary>Gives <paramref name="rpc"/> a valid request, built once per run.</summary>
    /// <param name="rpc">"Method", "Service/Method" or the method's full name.</param>
    /// <param name="label">Tells apart several seeds of one RPC (e.g. one event per subscribed topic).</param>
    public HostileCorpus<TContext> Seed<TRequest>(string rpc, Func<TContext, TRequest> seed, string label = "")
        where TRequest : IMessage =>
        SeedAsync(rpc, c => Task.FromResult(seed(c)), fresh: false, label);

    /// <summary>
    /// Gives <paramref name="rpc"/> a valid request. With <paramref name="fresh"/> the seed is built again for every
    /// case (for RPCs whose accepted call uses up its object, such as deleting it).
    /// </summary>
    public HostileCorpus<TContext> SeedAsync<TRequest>(string rpc, Func<TContext, Task<TRequest>> seed, bool fresh = false, string label = "")
        where TRequest : IMessage
    {
        Add(Find(rpc, typeof(TRequest)), new SeedEntry(label, async c => await seed(c), Wrap: null, InnerName: string.Empty, MutateRequest: true, fresh));
        return this;
    }

    /// <summary>
    /// Gives <paramref name="rpc"/> a request that carries another message (an event inside a Dapr delivery): the
    /// inner message is changed field by field too, each change wrapped again. <paramref name="wrap"/> runs for every
    /// case (so it may give each its own event id); a change it cannot express (it throws) is skipped.
    /// </summary>
    /// <param name="innerName">The prefix of the inner message's field paths, e.g. "data".</param>
    /// <param name="mutateRequest">Whether the wrapping request's own fields are changed too (once per envelope is enough).</param>
    public HostileCorpus<TContext> SeedWrapped<TRequest, TInner>(string rpc, Func<TContext, TInner> inner, Func<TInner, TRequest> wrap,
        string innerName = "data", bool mutateRequest = true, string label = "")
        where TRequest : IMessage
        where TInner : IMessage
    {
        Add(Find(rpc, typeof(TRequest)), new SeedEntry(label, c => Task.FromResult<IMessage>(inner(c)), m => wrap((TInner)m), innerName, mutateRequest, Fresh: false));
        return this;
    }

    /// <summary>
    /// A rule on the answers <paramref name="rpc"/> gives with OK: <paramref name="fault"/> returns why an answer to a
    /// case is wrong (e.g. a Dapr event answered RETRY for a value that can never succeed), or null.
    /// </summary>
    public HostileCorpus<TContext> Expect<TResponse>(string rpc, Func<HostileCase, TResponse, string?> fault)
        where TResponse : IMessage
    {
        var method = Find(rpc, null);
        if (method.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException($"{method.FullName} answers {method.OutputType.ClrType.Name}, not {typeof(TResponse).Name}.", nameof(fault));
        }

        _checks[method] = (hostile, response) => fault(hostile, (TResponse)response);
        return this;
    }

    /// <summary>Fails naming every RPC of the contracts without a seed of its own (so a new RPC cannot slip by with only the empty request).</summary>
    public void AssertEveryRpcSeeded()
    {
        var missing = _rpcs.Where(r => !_seeds.ContainsKey(r)).Select(r => $"{r.Service.Name}/{r.Name}").ToList();
        Assert.True(missing.Count == 0, $"RPCs without a seed in the hostile corpus: {string.Join(", ", missing)}");
    }

    /// <summary>The cases of one RPC for a seed request: the seed itself, the empty request, a body over the limit, then one field changed at a time.</summary>
    public static IReadOnlyList<HostileCase> CasesFor(MethodDescriptor rpc, IMessage seed, string label = "") =>
        CasesFor(rpc, new SeedEntry(label, _ => Task.FromResult(seed), null, string.Empty, MutateRequest: true, Fresh: false), seed);

    private static List<HostileCase> CasesFor(MethodDescriptor rpc, SeedEntry entry, IMessage source)
    {
        var label = entry.Label;
        IMessage RequestOf(IMessage s) => entry.Wrap is { } wrap ? wrap(Copy(s)) : Copy(s);
        var cases = new List<HostileCase>
        {
            new(rpc, label, "(request)", "the valid seed", RequestOf),
            new(rpc, label, "(request)", "every field unset", _ => rpc.InputType.Parser.ParseFrom(ByteString.Empty)),
        };
        if (rpc.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String && !f.IsRepeated && !f.IsMap) is { } text)
        {
            cases.Add(new HostileCase(rpc, label, text.Name, "5 MiB body (over the 4 MB limit)", s =>
            {
                var request = RequestOf(s);
                text.Accessor.SetValue(request, new string('x', 5 << 20));
                return request;
            }));
        }

        if (entry.MutateRequest)
        {
            foreach (var mutation in HostileValues.For(RequestOf(source)))
            {
                cases.Add(new HostileCase(rpc, label, mutation.Field, mutation.Kind, s =>
                {
                    var request = RequestOf(s);
                    mutation.Apply(request);
                    return request;
                }));
            }
        }

        if (entry.Wrap is { } wrapInner)
        {
            foreach (var mutation in HostileValues.For(source))
            {
                cases.Add(new HostileCase(rpc, label, $"{entry.InnerName}:{mutation.Field}", mutation.Kind, s =>
                {
                    var inner = Copy(s);
                    mutation.Apply(inner);
                    try
                    {
                        return wrapInner(inner);
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
                    {
                        return null;
                    }
                }));
            }
        }

        return cases;
    }

    /// <summary>
    /// Calls every case through <paramref name="invoker"/> (the real API, with the caller's token) one after another,
    /// comparing the database before and after each call that is not OK.
    /// </summary>
    public async Task<HostileCorpusReport> RunAsync(TContext context, CallInvoker invoker, Func<Task<DatabaseSnapshot>> snapshot)
    {
        var report = new HostileCorpusReport();
        foreach (var rpc in _rpcs)
        {
            var seeds = _seeds.TryGetValue(rpc, out var given)
                ? given
                : [new SeedEntry("derived", _ => Task.FromResult(rpc.InputType.Parser.ParseFrom(ByteString.Empty)), null, string.Empty, MutateRequest: true, Fresh: false)];
            foreach (var seed in seeds)
            {
                await RunSeedAsync(report, rpc, seed, context, invoker, snapshot, _checks.GetValueOrDefault(rpc));
            }
        }

        return report;
    }

    private static async Task RunSeedAsync(HostileCorpusReport report, MethodDescriptor rpc, SeedEntry seed, TContext context, CallInvoker invoker,
        Func<Task<DatabaseSnapshot>> snapshot, Func<HostileCase, IMessage, string?>? check)
    {
        var source = await seed.Build(context);
        var cases = CasesFor(rpc, seed, source);
        var before = await snapshot();
        for (var i = 0; i < cases.Count; i++)
        {
            var hostile = cases[i];
            if (i > 0 && seed.Fresh)
            {
                // The same change applied to a seed built anew.
                source = await seed.Build(context);
                before = await snapshot();
            }

            if (hostile.Make(source) is not { } request)
            {
                report.NotExpressible();
                continue;
            }

            var outcome = await CallAsync(invoker, rpc, request);
            var after = await snapshot();
            var fault = outcome is { Code: StatusCode.OK, Response: { } response } && i > 0 && check is not null ? check(hostile, response) : null;
            report.Record(hostile, outcome, outcome.Code == StatusCode.OK ? [] : before.Differences(after), fault);
            before = after;
            if (i == 0 && outcome.Code == StatusCode.Unimplemented)
            {
                report.NotServed(hostile, cases.Count - 1);
                return;
            }
        }
    }

    private sealed record SeedEntry(string Label, Func<TContext, Task<IMessage>> Build, Func<IMessage, IMessage>? Wrap, string InnerName, bool MutateRequest, bool Fresh);

    private void Add(MethodDescriptor method, SeedEntry entry)
    {
        var seeds = _seeds.TryGetValue(method, out var existing) ? existing : _seeds[method] = [];
        if (seeds.Any(e => e.Label == entry.Label))
        {
            throw new ArgumentException($"{method.FullName} has a seed labelled '{entry.Label}' already.", nameof(entry));
        }

        seeds.Add(entry);
    }

    private static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private MethodDescriptor Find(string rpc, Type? requestType)
    {
        var matches = _rpcs.Where(m => m.Name == rpc || $"{m.Service.Name}/{m.Name}" == rpc || m.FullName == rpc).ToList();
        var method = matches.Count == 1
            ? matches[0]
            : throw new ArgumentException(matches.Count == 0 ? $"No RPC named {rpc} in the corpus's services." : $"{rpc} is ambiguous: name the service too.", nameof(rpc));
        return requestType is null || method.InputType.ClrType == requestType
            ? method
            : throw new ArgumentException($"{method.FullName} takes {method.InputType.ClrType.Name}, not {requestType.Name}.", nameof(requestType));
    }

    private static async Task<CallOutcome> CallAsync(CallInvoker invoker, MethodDescriptor rpc, IMessage request)
    {
        var method = new Method<IMessage, IMessage>(TypeOf(rpc), rpc.Service.FullName, rpc.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), rpc.InputType.Parser.ParseFrom),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), rpc.OutputType.Parser.ParseFrom));
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60));
        try
        {
            switch (method.Type)
            {
                case MethodType.Unary:
                    return new CallOutcome(StatusCode.OK, string.Empty, 0, null, await invoker.AsyncUnaryCall(method, null, options, request));
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(request);
                        await call.RequestStream.CompleteAsync();
                        return new CallOutcome(StatusCode.OK, string.Empty, 0, null, await call.ResponseAsync);
                    }

                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, request))
                    {
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }

                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(request);
                        await call.RequestStream.CompleteAsync();
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }

                    break;
            }

            return new CallOutcome(StatusCode.OK, string.Empty, 0, null);
        }
        catch (RpcException ex)
        {
            var details = ex.Trailers.GetValueBytes("grpc-status-details-bin")?.Length ?? 0;
            return new CallOutcome(ex.StatusCode, ex.Status.Detail, details, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new CallOutcome(StatusCode.Unknown, ex.Message, 0, $"the client failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static MethodType TypeOf(MethodDescriptor rpc) => (rpc.IsClientStreaming, rpc.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        _ => MethodType.DuplexStreaming,
    };
}

/// <summary>How one call of the corpus ended.</summary>
public sealed record CallOutcome(StatusCode Code, string Message, int DetailsBytes, string? ClientFailure, IMessage? Response = null);

/// <summary>What a corpus run saw: the cases, the statuses they got, and every failing case.</summary>
public sealed class HostileCorpusReport
{
    /// <summary>A status message longer than this (characters) is a failure: echoed input must be truncated.</summary>
    public const int MaxStatusMessage = 2_000;

    /// <summary>google.rpc.Status details (the grpc-status-details-bin trailer) longer than this (bytes) are a failure.</summary>
    public const int MaxStatusDetails = 16_384;

    private readonly List<string> _failures = [];
    private readonly Dictionary<string, int> _casesPerService = new(StringComparer.Ordinal);
    private readonly Dictionary<StatusCode, int> _statuses = [];
    private readonly List<string> _unimplemented = [];

    public int Cases { get; private set; }

    public IReadOnlyList<string> Failures => _failures;

    public IReadOnlyDictionary<string, int> CasesPerService => _casesPerService;

    public IReadOnlyDictionary<StatusCode, int> Statuses => _statuses;

    /// <summary>RPCs whose valid seed answered UNIMPLEMENTED, and how many cases were not sent to them.</summary>
    public IReadOnlyList<string> Unimplemented => _unimplemented;

    /// <summary>Cases whose value the request could not carry (a wrapped message's format refused it): not sent.</summary>
    public int Skipped { get; private set; }

    internal void NotExpressible() => Skipped++;

    internal void Record(HostileCase hostile, CallOutcome outcome, IReadOnlyList<string> changedTables, string? answerFault = null)
    {
        Cases++;
        _casesPerService[hostile.Rpc.Service.Name] = _casesPerService.GetValueOrDefault(hostile.Rpc.Service.Name) + 1;
        _statuses[outcome.Code] = _statuses.GetValueOrDefault(outcome.Code) + 1;
        var faults = new List<string>();
        if (outcome.ClientFailure is { } client)
        {
            faults.Add(client);
        }
        else if (outcome.Code is StatusCode.Unknown or StatusCode.Internal)
        {
            faults.Add($"answered {outcome.Code}");
        }

        if (outcome.Message.Length > MaxStatusMessage)
        {
            faults.Add($"a status message of {outcome.Message.Length.ToString(CultureInfo.InvariantCulture)} characters");
        }

        if (outcome.DetailsBytes > MaxStatusDetails)
        {
            faults.Add($"status details of {outcome.DetailsBytes.ToString(CultureInfo.InvariantCulture)} bytes");
        }

        if (answerFault is not null)
        {
            faults.Add(answerFault);
        }

        if (changedTables.Count > 0)
        {
            faults.Add($"answered {outcome.Code} but changed {string.Join(", ", changedTables)}");
        }

        if (faults.Count > 0)
        {
            _failures.Add($"{hostile}: {string.Join("; ", faults)} — {outcome.Code} \"{Shorten(outcome.Message)}\"");
        }
    }

    internal void NotServed(HostileCase seed, int skipped) =>
        _unimplemented.Add($"{seed.Rpc.Service.Name}/{seed.Rpc.Name} ({skipped.ToString(CultureInfo.InvariantCulture)} cases not sent)");

    /// <summary>Cases per service and statuses, for the test's output.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Cases} hostile cases, {_failures.Count} failing, {Skipped} not expressible. Per service: ");
        text.AppendJoin(", ", _casesPerService.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
        text.Append(". Statuses: ");
        text.AppendJoin(", ", _statuses.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"));
        if (_unimplemented.Count > 0)
        {
            text.Append(". Not served (UNIMPLEMENTED): ").AppendJoin(", ", _unimplemented);
        }

        return text.ToString();
    }

    /// <summary>Fails with every failing case, one per line.</summary>
    public void AssertNoFailures() =>
        Assert.True(_failures.Count == 0, $"{Summary()}\n{string.Join('\n', _failures)}");

    private static string Shorten(string message) =>
        message.Length <= 160 ? message : $"{message[..160]}… ({message.Length.ToString(CultureInfo.InvariantCulture)} characters)";
}
