# Shared by the walkthrough scripts: call a Watershed RPC with buf curl, read a field of the JSON answer.
buf="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tools/node_modules/.bin/buf"

# rpc BASE-URL TOKEN package.Service/Method JSON
rpc() {
  "$buf" curl --protocol grpc --http2-prior-knowledge -H "Authorization: Bearer $2" -d "$4" "$1/$3"
}

# field PYTHON-PATH  (reads JSON on stdin), e.g. field "['plan']['id']"
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval('d' + sys.argv[1]))" "$1"; }
