//! The one way routes are added: through `Routes`, which remembers each path, so the
//! OpenAPI document can be checked against exactly what the router serves.

use axum::routing::MethodRouter;
use axum::Router;

use crate::AppState;

pub struct Routes {
    pub router: Router<AppState>,
    /// (path template, method) of every route added.
    pub paths: Vec<(&'static str, &'static str)>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes { router: Router::new(), paths: Vec::new() }
    }

    /// A GET route.
    pub fn get(mut self, path: &'static str, route: MethodRouter<AppState>) -> Routes {
        self.paths.push((path, "get"));
        self.router = self.router.route(path, route);
        self
    }

    /// A POST route (requests with a body, such as the site search).
    pub fn post(mut self, path: &'static str, route: MethodRouter<AppState>) -> Routes {
        self.paths.push((path, "post"));
        self.router = self.router.route(path, route);
        self
    }

    /// A write route: `methods` are the methods `route` answers (post, put, patch,
    /// delete, and options, which says which of them a caller may use), recorded for the
    /// OpenAPI check.
    pub fn write(mut self, path: &'static str, methods: &[&'static str], route: MethodRouter<AppState>) -> Routes {
        for m in methods {
            self.paths.push((path, m));
        }
        self.router = self.router.route(path, route);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.paths.extend(other.paths);
        self.router = self.router.merge(other.router);
        self
    }
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}
