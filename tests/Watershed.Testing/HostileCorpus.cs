using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit;

namespace Watershed.Testing;

/// <summary>One request of the corpus: the RPC (and its seed's label), the field changed, the kind of value put there.</summary>
public sealed record HostileCase(MethodDescriptor Rpc, string Seed, string Field, string Kind, IMessage Request)
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
        var method = Find(rpc);
        if (method.InputType.ClrType != typeof(TRequest))
        {
            throw new ArgumentException($"{method.FullName} takes {method.InputType.ClrType.Name}, not {typeof(TRequest).Name}.", nameof(seed));
        }

        var seeds = _seeds.TryGetValue(method, out var existing) ? existing : _seeds[method] = [];
        if (seeds.Any(e => e.Label == label))
        {
            throw new ArgumentException($"{method.FullName} has a seed labelled '{label}' already.", nameof(label));
        }

        seeds.Add(new SeedEntry(label, async c => await seed(c), fresh));
        return this;
    }

    /// <summary>Fails naming every RPC of the contracts without a seed of its own (so a new RPC cannot slip by with only the empty request).</summary>
    public void AssertEveryRpcSeeded()
    {
        var missing = _rpcs.Where(r => !_seeds.ContainsKey(r)).Select(r => $"{r.Service.Name}/{r.Name}").ToList();
        Assert.True(missing.Count == 0, $"RPCs without a seed in the hostile corpus: {string.Join(", ", missing)}");
    }

    /// <summary>The cases of one RPC for a seed: the seed itself, the empty request, a body over the limit, then one field changed at a time.</summary>
    public static IReadOnlyList<HostileCase> CasesFor(MethodDescriptor rpc, IMessage seed, string label = "")
    {
        var cases = new List<HostileCase>
        {
            new(rpc, label, "(request)", "the valid seed", Copy(seed)),
            new(rpc, label, "(request)", "every field unset", rpc.InputType.Parser.ParseFrom(ByteString.Empty)),
        };
        if (rpc.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.String && !f.IsRepeated && !f.IsMap) is { } text)
        {
            var oversized = Copy(seed);
            text.Accessor.SetValue(oversized, new string('x', 5 << 20));
            cases.Add(new HostileCase(rpc, label, text.Name, "5 MiB body (over the 4 MB limit)", oversized));
        }

        foreach (var mutation in HostileValues.For(seed))
        {
            var request = Copy(seed);
            mutation.Apply(request);
            cases.Add(new HostileCase(rpc, label, mutation.Field, mutation.Kind, request));
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
                : [new SeedEntry("derived", _ => Task.FromResult(rpc.InputType.Parser.ParseFrom(ByteString.Empty)), Fresh: false)];
            foreach (var seed in seeds)
            {
                await RunSeedAsync(report, rpc, seed, context, invoker, snapshot);
            }
        }

        return report;
    }

    private static async Task RunSeedAsync(HostileCorpusReport report, MethodDescriptor rpc, SeedEntry seed, TContext context, CallInvoker invoker,
        Func<Task<DatabaseSnapshot>> snapshot)
    {
        var cases = CasesFor(rpc, await seed.Build(context), seed.Label);
        var before = await snapshot();
        for (var i = 0; i < cases.Count; i++)
        {
            var hostile = cases[i];
            if (i > 0 && seed.Fresh)
            {
                // The same change applied to a seed built anew (the cases of equal seeds line up one to one).
                hostile = CasesFor(rpc, await seed.Build(context), seed.Label)[i];
                before = await snapshot();
            }

            var outcome = await CallAsync(invoker, hostile);
            var after = await snapshot();
            report.Record(hostile, outcome, outcome.Code == StatusCode.OK ? [] : before.Differences(after));
            before = after;
            if (i == 0 && outcome.Code == StatusCode.Unimplemented)
            {
                report.NotServed(hostile, cases.Count - 1);
                return;
            }
        }
    }

    private sealed record SeedEntry(string Label, Func<TContext, Task<IMessage>> Build, bool Fresh);

    private static IMessage Copy(IMessage message) => message.Descriptor.Parser.ParseFrom(message.ToByteString());

    private MethodDescriptor Find(string rpc)
    {
        var matches = _rpcs.Where(m => m.Name == rpc || $"{m.Service.Name}/{m.Name}" == rpc || m.FullName == rpc).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new ArgumentException(matches.Count == 0 ? $"No RPC named {rpc} in the corpus's services." : $"{rpc} is ambiguous: name the service too.", nameof(rpc));
    }

    private static async Task<CallOutcome> CallAsync(CallInvoker invoker, HostileCase hostile)
    {
        var rpc = hostile.Rpc;
        var method = new Method<IMessage, IMessage>(TypeOf(rpc), rpc.Service.FullName, rpc.Name,
            Marshallers.Create<IMessage>(m => m.ToByteArray(), rpc.InputType.Parser.ParseFrom),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), rpc.OutputType.Parser.ParseFrom));
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(60));
        try
        {
            switch (method.Type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, hostile.Request);
                    break;
                case MethodType.ClientStreaming:
                    using (var call = invoker.AsyncClientStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(hostile.Request);
                        await call.RequestStream.CompleteAsync();
                        await call.ResponseAsync;
                    }

                    break;
                case MethodType.ServerStreaming:
                    using (var call = invoker.AsyncServerStreamingCall(method, null, options, hostile.Request))
                    {
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }
                    }

                    break;
                default:
                    using (var call = invoker.AsyncDuplexStreamingCall(method, null, options))
                    {
                        await call.RequestStream.WriteAsync(hostile.Request);
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
public sealed record CallOutcome(StatusCode Code, string Message, int DetailsBytes, string? ClientFailure);

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

    internal void Record(HostileCase hostile, CallOutcome outcome, IReadOnlyList<string> changedTables)
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
        text.Append(CultureInfo.InvariantCulture, $"{Cases} hostile cases, {_failures.Count} failing. Per service: ");
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
