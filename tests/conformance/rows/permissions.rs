//! The conformance rows of authorization: the three permission checks, the resource list,
//! the permission list and the struct, each against resources and grants seeded in the
//! emulator. One `Call` a way of calling; the paths only these rows send are defined here.

use crate::{Call, Ctx, PROFILE, SIGNIN, USERNAME};
use authing::emulator::{NewDataResource, NewGrant, NewRole, NewTreeNode};

const CHECK_STRING: &str = "POST /api/v3/check-permission-string-resource";
const CHECK_ARRAY: &str = "POST /api/v3/check-permission-array-resource";
const CHECK_TREE: &str = "POST /api/v3/check-permission-tree-resource";
const RESOURCE_LIST: &str = "GET /api/v3/get-user-auth-resource-list";
const PERMISSION_LIST: &str = "POST /api/v3/get-user-auth-resource-permission-list";
const STRUCT: &str = "POST /api/v3/get-user-auth-resource-struct";

/// Seeds a string resource `report`, an array resource `orders` and a tree resource
/// `docs` (`guides/intro`, `api`), with grants to the user and to a role it has.
fn seed(c: &Ctx) {
    let emu = &c.emu;
    emu.add_data_resource(NewDataResource::string("report", "monthly", ["read", "export"]))
        .expect("seeded");
    emu.add_data_resource(NewDataResource::array("orders", ["order:42"], ["read", "write"]))
        .expect("seeded");
    let guides = NewTreeNode::new("guides").child(NewTreeNode::new("intro"));
    emu.add_data_resource(NewDataResource::tree(
        "docs",
        [guides, NewTreeNode::new("api")],
        ["read", "edit"],
    ))
    .expect("seeded");
    emu.grant_permission(NewGrant::to_user(USERNAME, "report", ["read"]))
        .expect("seeded");
    emu.grant_permission(NewGrant::to_user(USERNAME, "orders", ["write"]))
        .expect("seeded");
    emu.grant_permission(NewGrant::to_role("editor", "docs/guides", ["edit"]))
        .expect("seeded");
    emu.assign_role(USERNAME, NewRole::new("editor"))
        .expect("seeded");
}

pub(crate) const ROWS: &[Call] = &[
    Call {
        does: "check_permission_by_string_resource answers one line a resource, allowed and denied",
        method: "check_permission_by_string_resource_blocking",
        sends: &[SIGNIN, PROFILE, CHECK_STRING],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client
                .check_permission_by_string_resource_blocking(["report", "unknown"], "read")
        },
    },
    Call {
        does: "check_permission_by_array_resource answers whether the user may write",
        method: "check_permission_by_array_resource_blocking",
        sends: &[SIGNIN, PROFILE, CHECK_ARRAY],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client
                .check_permission_by_array_resource_blocking(["orders"], "write")
        },
    },
    Call {
        does: "check_permission_by_tree_resource answers for node paths, granted through a role",
        method: "check_permission_by_tree_resource_blocking",
        sends: &[SIGNIN, PROFILE, CHECK_TREE],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client.check_permission_by_tree_resource_blocking(
                ["docs/guides/intro", "docs/api", "docs"],
                "edit",
            )
        },
    },
    Call {
        does: "get_user_authorized_resources_list answers a string, an array and a tree resource",
        method: "get_user_authorized_resources_list_blocking",
        sends: &[SIGNIN, PROFILE, RESOURCE_LIST],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client.get_user_authorized_resources_list_blocking()
        },
    },
    Call {
        does: "get_user_authorized_resources_list answers an empty list to a user granted nothing",
        method: "get_user_authorized_resources_list_blocking",
        sends: &[SIGNIN, PROFILE, RESOURCE_LIST],
        answers: 200,
        run: |c| {
            c.ok(c.sign_in());
            c.client.get_user_authorized_resources_list_blocking()
        },
    },
    Call {
        does: "get_user_auth_resource_permission_list answers the actions on each resource",
        method: "get_user_auth_resource_permission_list_blocking",
        sends: &[SIGNIN, PROFILE, PERMISSION_LIST],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client.get_user_auth_resource_permission_list_blocking([
                "report",
                "orders",
                "docs/guides/intro",
                "unknown",
            ])
        },
    },
    Call {
        does: "get_user_auth_resource_struct answers a tree with the actions on each node",
        method: "get_user_auth_resource_struct_blocking",
        sends: &[SIGNIN, PROFILE, STRUCT],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client.get_user_auth_resource_struct_blocking("docs")
        },
    },
    Call {
        does: "get_user_auth_resource_struct answers a string resource's value and actions",
        method: "get_user_auth_resource_struct_blocking",
        sends: &[SIGNIN, PROFILE, STRUCT],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client.get_user_auth_resource_struct_blocking("report")
        },
    },
    Call {
        does: "get_user_auth_resource_struct answers an array resource's values and actions",
        method: "get_user_auth_resource_struct_blocking",
        sends: &[SIGNIN, PROFILE, STRUCT],
        answers: 200,
        run: |c| {
            seed(c);
            c.ok(c.sign_in());
            c.client.get_user_auth_resource_struct_blocking("orders")
        },
    },
];
